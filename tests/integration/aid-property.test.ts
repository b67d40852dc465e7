import { eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AidClaim, aidClaims } from '../../db/schema/aid';
import { disbursements } from '../../db/schema/disbursements';
import { ledgerCodes } from '../../server/aid/rules';
import { isDomainError } from '../../server/errors';
import { balanceOf, trialBalance } from '../../server/ledger/ledger';
import { type AidWorld, aidWorld, confirmationCsv, policyInput, readyClaim } from '../support/aid';
import { createTestDatabase } from '../support/db';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: AidWorld;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await aidWorld(db);
});
afterAll(() => db.drop());

/** Amounts around the interesting edges: the formula amount (¥35,000), the policy limit (¥60,000). */
const amount = fc.constantFrom('1', '15000', '29999.99', '30000', '34999.99', '35000', '35000.01', '60000');
const action = fc.oneof(
  // Mostly the claim's natural next step (so sequences reach the money), with random disruption.
  {
    arbitrary: fc.record({ kind: fc.constant('step' as const), i: fc.nat(1), amount, ok: fc.boolean() }),
    weight: 12,
  },
  fc.record({ kind: fc.constant('submit' as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant('return' as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant('review' as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant('courtApprove' as const), i: fc.nat(1), amount }),
  fc.record({ kind: fc.constant('reject' as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant('insurerStart' as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant('insurerApprove' as const), i: fc.nat(1), amount }),
  fc.record({ kind: fc.constant('decline' as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant('batch' as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant('approveBatches' as const) }),
  fc.record({ kind: fc.constant('export' as const) }),
  fc.record({ kind: fc.constant('confirm' as const), ok: fc.boolean(), replay: fc.boolean() }),
  fc.record({ kind: fc.constant('reissue' as const) }),
  fc.record({ kind: fc.constant('cancel' as const) }),
  fc.record({ kind: fc.constant('close' as const), i: fc.nat(1) }),
  fc.record({ kind: fc.constant('recover' as const), i: fc.nat(1), amount }),
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

async function apply(a: Action, claims: AidClaim[], policyId: string, files: string[]) {
  const s = w.services.aid;
  const c = 'i' in a ? claims[a.i]! : undefined;
  switch (a.kind) {
    case 'step': {
      const cur = (await s.claims.getClaim(w.clerk, c!.id)).claim;
      const next: Record<string, Action> = {
        draft: { kind: 'submit', i: a.i },
        returned: { kind: 'submit', i: a.i },
        submitted: { kind: 'review', i: a.i },
        court_review: { kind: 'courtApprove', i: a.i, amount: a.ok ? '35000' : a.amount },
        committee_review: { kind: 'courtApprove', i: a.i, amount: a.amount },
        court_approved: { kind: 'insurerStart', i: a.i },
        insurer_review: { kind: 'insurerApprove', i: a.i, amount: a.ok ? '30000' : a.amount },
        insurer_approved: { kind: 'batch', i: a.i },
        payment: { kind: 'approveBatches' },
        paid: { kind: 'recover', i: a.i, amount: a.amount },
      };
      const n = next[cur.status];
      if (!n) return;
      await apply(n, claims, policyId, files);
      if (cur.status === 'payment') {
        await apply({ kind: 'export' }, claims, policyId, files);
        await apply({ kind: 'confirm', ok: a.ok, replay: false }, claims, policyId, files);
      }
      return;
    }
    case 'submit':
      return s.claims.submit(w.clerk, c!.id);
    case 'return':
      return s.claims.returnForDocuments(w.panel, c!.id, { reason: '补正' });
    case 'review':
      return s.claims.startCourtReview(w.panel, c!.id);
    case 'courtApprove':
      return s.claims.courtApprove(w.panel, c!.id, { amount: a.amount });
    case 'reject':
      return s.claims.courtReject(w.panel, c!.id, { reason: '不符合' });
    case 'insurerStart':
      return s.claims.insurerStartReview(w.adjuster, c!.id);
    case 'insurerApprove':
      return s.claims.insurerApprove(w.adjuster, c!.id, { amount: a.amount, reason: '部分' });
    case 'decline':
      return s.claims.insurerDecline(w.adjuster, c!.id, { reason: '免责' });
    case 'batch':
      return s.payments.createBatch(w.adjuster, { claimIds: [c!.id] });
    case 'approveBatches':
      for (const b of await s.payments.listBatches(w.adjuster))
        if (b.status === 'prepared') await s.payments.approveBatch(w.manager, b.id);
      return;
    case 'export':
      for (const b of await s.payments.listBatches(w.adjuster))
        if (b.status === 'approved') await s.payments.exportBatch(w.adjuster, b.id);
      return;
    case 'confirm': {
      if (a.replay && files.length)
        return s.payments.importConfirmations(w.adjuster, files[files.length - 1]!);
      const sent = await db.db
        .select()
        .from(disbursements)
        .where(
          sql`${disbursements.status} = 'sent' and ${disbursements.subjectId} in (select id from aid_claims where policy_id = ${policyId})`,
        );
      const text = confirmationCsv(
        sent.map((p) => ({
          reference: p.reference,
          amount: (Number(p.amountFen) / 100).toFixed(2),
          status: a.ok ? 'SUCCESS' : 'FAILED',
          reason: 'PAYEE_UNREACHABLE',
        })),
      );
      files.push(text);
      return s.payments.importConfirmations(w.adjuster, text);
    }
    case 'reissue':
    case 'cancel': {
      const failed = await s.payments.failedPayments(w.adjuster);
      const p = failed.find((f) => claims.some((x) => x.id === f.claimId));
      if (!p) return;
      return a.kind === 'reissue'
        ? s.payments.reissuePayment(w.adjuster, p.id, {})
        : s.payments.cancelPayment(w.adjuster, p.id);
    }
    case 'close':
      return s.claims.close(w.adjuster, c!.id, { reason: '无法支付' });
    case 'recover':
      return s.claims.recordRecovery(w.clerk, c!.id, {
        kind: 'fraud_clawback',
        source: 'external',
        amount: a.amount,
        note: '追回',
      });
  }
}

describe('aid invariants under random sequences of actions', () => {
  it('approved ≤ computed cap, remaining limit ≥ 0, paid ≤ approved, never paid twice for one case', async () => {
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 60 }), async (actions) => {
        const policy = await w.services.aid.policies.createPolicy(
          w.manager,
          policyInput(w.court.id, { limit: '60000' }),
        );
        const claims: AidClaim[] = [];
        for (let i = 0; i < 2; i++) claims.push(await readyClaim(w, { policyId: policy.id }));
        const files: string[] = [];
        for (const a of actions) {
          try {
            await apply(a, claims, policy.id, files);
          } catch (e) {
            // Refusals are part of the game; anything else is a bug.
            if (!isDomainError(e)) throw e;
          }
        }
        const rows = await db.db.select().from(aidClaims).where(eq(aidClaims.policyId, policy.id));
        const pays = await db.db
          .select()
          .from(disbursements)
          .where(
            inArray(
              disbursements.subjectId,
              rows.map((r) => r.id),
            ),
          );
        const remaining = await balanceOf(db.db, ledgerCodes.limit(policy.id));
        expect(remaining >= 0n).toBe(true);
        let awarded = 0n;
        for (const r of rows) {
          if (r.courtApprovedFen !== null) expect(r.courtApprovedFen <= r.computedFen).toBe(true);
          if (r.approvedFen !== null) {
            expect(r.approvedFen <= r.computedFen).toBe(true);
            expect(r.approvedFen <= (r.courtApprovedFen ?? 0n)).toBe(true);
            awarded += r.approvedFen - r.releasedFen;
          }
          const confirmed = pays.filter((p) => p.subjectId === r.id && p.status === 'confirmed');
          const paid = confirmed.reduce((sum, p) => sum + p.amountFen, 0n);
          expect(paid).toBe(r.paidFen);
          expect(paid <= (r.approvedFen ?? 0n)).toBe(true);
          expect(r.recoveredFen <= r.paidFen).toBe(true);
          if (r.status === 'paid') expect(paid).toBe(r.approvedFen);
        }
        // The limit moved by exactly what was awarded and not given back.
        expect(remaining).toBe(6_000_000n - awarded);
        // One case, one creditor: at most one claim with money paid.
        for (const r of rows) reached.add(r.status);
        const paidClaims = rows.filter((r) => r.paidFen > 0n).map((r) => `${r.caseId}/${r.partyId}`);
        expect(new Set(paidClaims).size).toBe(paidClaims.length);
      }),
      { numRuns: 30 },
    );
    // The sequences got deep enough to move money, or the property said little.
    expect([...reached].some((s) => ['payment', 'paid', 'closed'].includes(s))).toBe(true);
    console.info(`aid property: statuses reached ${[...reached].sort().join(', ')}`);
    expect((await trialBalance(db.db)).totalFen).toBe(0n);
  }, 180_000);
});
