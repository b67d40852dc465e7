import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AidClaim, type AidClaimStatus, aidClaimEvents, aidClaims } from '../../db/schema/aid';
import { auditLog } from '../../db/schema/audit';
import { CLAIM_STATUSES, CLAIM_TRANSITIONS, INSURER_VISIBLE } from '../../server/aid/rules';
import { type AidWorld, aidWorld, driveTo, readyClaim } from '../support/aid';
import { createTestDatabase } from '../support/db';
import { caught } from '../support/fixtures';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: AidWorld;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await aidWorld(db, { limit: '5000000' });
});
afterAll(() => db.drop());

/**
 * Every use case that moves a claim, by the role that may take it, with the status it leads to.
 * (Creating a payment batch moves an approved claim into payment; a bank confirmation moves it
 * to paid: both are driven by the payment service and tested in aid-payments.test.ts too.)
 */
const ACTIONS: Record<
  string,
  { to: AidClaimStatus; insurer?: boolean; run: (c: AidClaim) => Promise<unknown> }
> = {
  submit: { to: 'submitted', run: (c) => w.services.aid.claims.submit(w.clerk, c.id) },
  withdraw: {
    to: 'withdrawn',
    run: (c) => w.services.aid.claims.withdraw(w.clerk, c.id, { reason: '申请人撤回' }),
  },
  returnForDocuments: {
    to: 'returned',
    run: (c) => w.services.aid.claims.returnForDocuments(w.panel, c.id, { reason: '补充困难证明' }),
  },
  startCourtReview: { to: 'court_review', run: (c) => w.services.aid.claims.startCourtReview(w.panel, c.id) },
  referToCommittee: {
    to: 'committee_review',
    run: (c) => w.services.aid.claims.referToCommittee(w.panel, c.id, { amount: '35000' }),
  },
  // From committee review the second judge decides (the referring one may not).
  courtApprove: {
    to: 'court_approved',
    run: (c) => w.services.aid.claims.courtApprove(w.panel2, c.id, { amount: '35000' }),
  },
  courtReject: {
    to: 'rejected',
    run: (c) => w.services.aid.claims.courtReject(w.panel2, c.id, { reason: '不符合条件' }),
  },
  insurerStartReview: {
    to: 'insurer_review',
    insurer: true,
    run: (c) => w.services.aid.claims.insurerStartReview(w.adjuster, c.id),
  },
  insurerApprove: {
    to: 'insurer_approved',
    insurer: true,
    run: (c) => w.services.aid.claims.insurerApprove(w.adjuster, c.id, { amount: '35000' }),
  },
  insurerDecline: {
    to: 'declined',
    insurer: true,
    run: (c) => w.services.aid.claims.insurerDecline(w.adjuster, c.id, { reason: '免责' }),
  },
  close: {
    to: 'closed',
    run: (c) => w.services.aid.claims.close(w.clerk, c.id, { reason: '申请人已身故，无继承人' }),
  },
};

/** The claim and its timeline, to show a refused action changed nothing. */
async function snapshot(id: string) {
  const [row] = await db.db.select().from(aidClaims).where(eq(aidClaims.id, id));
  const [events] = await db.db
    .select({ n: sql<number>`count(*)::int` })
    .from(aidClaimEvents)
    .where(eq(aidClaimEvents.claimId, id));
  return { row, events: events!.n };
}

/** A claim in `status`; a claim in payment has its only payment cancelled, so nothing is in flight. */
async function claimIn(status: AidClaimStatus) {
  const c = await driveTo(w, await readyClaim(w), status);
  if (status === 'payment') {
    const full = await w.services.aid.claims.getClaim(w.adjuster, c.id);
    await w.services.aid.payments.cancelPayment(w.adjuster, full.payments[0]!.id);
  }
  return c;
}

describe('the claim state machine', () => {
  it('names every status once, and every target of a transition is a status', () => {
    expect(new Set(CLAIM_STATUSES).size).toBe(14);
    for (const targets of Object.values(CLAIM_TRANSITIONS))
      for (const t of targets) expect(CLAIM_STATUSES).toContain(t);
  });

  const allowed = Object.entries(CLAIM_TRANSITIONS).flatMap(([from, tos]) =>
    tos.map((to) => [from as AidClaimStatus, to] as const),
  );
  it.each(allowed)('%s → %s works, with a timeline event and an audit entry', async (from, to) => {
    const c = await claimIn(from);
    if (to === 'payment') await w.services.aid.payments.createBatch(w.adjuster, { claimIds: [c.id] });
    else if (to === 'paid') {
      // payment → paid: driven by the bank confirmation (driveTo does the batch and the import).
      const fresh = await driveTo(w, await readyClaim(w), 'paid');
      expect(fresh.status).toBe('paid');
      return;
    } else {
      const action = Object.values(ACTIONS).find((a) => a.to === to)!;
      await action.run(c);
    }
    const after = await snapshot(c.id);
    expect(after.row!.status).toBe(to);
    const [event] = await db.db
      .select()
      .from(aidClaimEvents)
      .where(and(eq(aidClaimEvents.claimId, c.id), eq(aidClaimEvents.from, from), eq(aidClaimEvents.to, to)));
    expect(event).toMatchObject({ from, to });
    const audits = await db.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entityId, c.id),
          eq(auditLog.action, `aid_claim.${to}`),
          sql`${auditLog.data}->>'from' = ${from}`,
        ),
      );
    expect(audits).toHaveLength(1);
  });

  const refused = CLAIM_STATUSES.flatMap((from) =>
    Object.entries(ACTIONS)
      .filter(([, a]) => !CLAIM_TRANSITIONS[from].includes(a.to))
      .map(([name]) => [from, name] as const),
  );
  it.each(CLAIM_STATUSES.map((s) => [s, refused.filter(([from]) => from === s).map(([, n]) => n)] as const))(
    'from %s every other action is refused with a clear error and changes nothing',
    async (from, names) => {
      const c = await claimIn(from);
      const before = await snapshot(c.id);
      for (const name of names) {
        const action = ACTIONS[name]!;
        const e = await caught(action.run(c));
        if (action.insurer && !INSURER_VISIBLE.includes(from)) {
          // The insurer does not see the court's work in progress at all.
          expect(e.code, `${name} from ${from}`).toBe('not_found');
        } else {
          expect(e.code, `${name} from ${from}`).toBe('conflict');
          expect(e.messageKey, `${name} from ${from}`).toBe('aidErrors.badTransition');
          expect(e.details.params).toMatchObject({ from, to: action.to });
        }
        expect(await snapshot(c.id), `${name} from ${from} changed nothing`).toEqual(before);
      }
    },
  );
});
