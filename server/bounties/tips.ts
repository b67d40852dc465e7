/**
 * Tips (财产调查规定 arts. 23-24; ADR 022): anyone sends one on a published notice, signed in or
 * not, and gets a receipt code to follow it; tips are registered in the order of arrival by the
 * server's clock (a sequence), the first of identical leads counting; the lead and the informant
 * are sealed, read only by the case's court, every reading logged; the court verifies a tip and
 * awards the reward from the money the lead recovered, a cost the distribution deducts.
 */
import { createHmac } from 'node:crypto';
import { and, asc, count, eq, inArray, lt, ne } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type BountyTip, bountyNotices, bountyTipAccess, bountyTips } from '../../db/schema/bounties.js';
import { users } from '../../db/schema/identity.js';
import { affordancesOf, requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { beijingDateOf } from '../cases/time-limit.js';
import { DomainError, notFound } from '../errors.js';
import { decrypt, encrypt, keyedDigest, sha256 } from '../identity/crypto.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { enqueue } from '../outbox/outbox.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { decideTipActions } from './affordances.js';
import type { BountyDeps } from './deps.js';
import {
  deductionOf,
  isActive,
  normaliseLead,
  normaliseReceipt,
  receiptCodeOf,
  rewardOf,
  scopeCovers,
} from './rules.js';
import { AssessSchema, AwardSchema, ReceiptSchema, TipSchema } from './schemas.js';

const conflict = (key: string, params?: Record<string, string>) =>
  new DomainError('conflict', `bounties.errors.${key}`, params ? { params } : undefined);

const keys = new WeakMap<Buffer, { lead: Buffer; receipt: Buffer }>();
function keysOf(piiKey: Buffer) {
  let k = keys.get(piiKey);
  if (!k) {
    k = {
      lead: createHmac('sha256', piiKey).update('lastmile:bounty:lead-digest:v1').digest(),
      receipt: createHmac('sha256', piiKey).update('lastmile:bounty:receipt:v1').digest(),
    };
    keys.set(piiKey, k);
  }
  return k;
}

/**
 * The receipt of a submission: derived from the notice and the form's one-off key, so a retried
 * submission gets the same code back (and finds the same tip); only its hash is stored.
 */
const receiptFor = (piiKey: Buffer, noticeId: string, submissionKey: string) =>
  receiptCodeOf(
    createHmac('sha256', keysOf(piiKey).receipt)
      .update(`${noticeId}:${submissionKey}`)
      .digest()
      .subarray(0, 10),
  );

/** Art. 23: anyone sends a tip on an active notice; the answer is the receipt code, shown once. */
export async function submitTip(
  deps: BountyDeps,
  actor: Actor | null,
  noticeId: string,
  input: unknown,
  requestId?: string,
) {
  const data = parseInput(TipSchema, input);
  if (!isUuid(noticeId)) throw notFound();
  const receipt = receiptFor(deps.piiKey, noticeId, data.submissionKey);
  return deps.db.transaction(async (tx) => {
    const [n] = await tx.select().from(bountyNotices).where(eq(bountyNotices.id, noticeId));
    const now = deps.clock();
    if (!n || !isActive(n, beijingDateOf(now))) throw notFound();
    if (!scopeCovers(n.scope, data.leadKind))
      throw validationError({ leadKind: ['bounties.validation.scope'] });
    // The server's clock is the arrival time; the sequence orders tips arriving in the same instant.
    const [row] = await tx
      .insert(bountyTips)
      .values({
        noticeId: n.id,
        caseId: n.caseId,
        courtId: n.courtId,
        receivedAt: now,
        submissionKey: data.submissionKey,
        receiptHash: sha256(receipt),
        leadKind: data.leadKind,
        leadSealed: encrypt(deps.piiKey, data.lead),
        leadDigest: keyedDigest(keysOf(deps.piiKey).lead, `${data.leadKind}:${normaliseLead(data.lead)}`),
        informantSealed: encrypt(
          deps.piiKey,
          JSON.stringify({ name: data.informantName, contact: data.contact }),
        ),
        informantUserId: actor?.userId ?? null,
        declaredEligible: data.eligible,
      })
      .onConflictDoNothing({ target: [bountyTips.noticeId, bountyTips.submissionKey] })
      .returning({ id: bountyTips.id, seq: bountyTips.seq });
    if (!row) {
      // The same submission again (a retry): the tip it made, the same receipt.
      const [done] = await tx
        .select({ id: bountyTips.id, receivedAt: bountyTips.receivedAt })
        .from(bountyTips)
        .where(and(eq(bountyTips.noticeId, n.id), eq(bountyTips.submissionKey, data.submissionKey)));
      return { receipt, receivedAt: done!.receivedAt, repeated: true };
    }
    await recordAudit(tx, {
      actorId: actor?.userId ?? null,
      action: 'bounty.tip_received',
      entityType: 'bounty_tip',
      entityId: row.id,
      data: { noticeId: n.id, seq: row.seq },
      requestId,
    });
    // No content and no identity leave the court (art. 23): the subscriber learns that one arrived.
    await enqueue(tx, {
      topic: 'bounty.tip.received',
      payload: {
        tipId: row.id,
        noticeId: n.id,
        seq: row.seq,
        leadKind: data.leadKind,
        receivedAt: now.toISOString(),
      },
      occurredAt: now,
    });
    return { receipt, receivedAt: now, repeated: false };
  });
}

/** The informant follows his tip by its receipt code: its state and reward, nothing of its content. */
export async function tipStatus(deps: BountyDeps, input: unknown) {
  const { receipt } = parseInput(ReceiptSchema, input);
  const code = normaliseReceipt(receipt);
  if (!code) throw validationError({ receipt: ['bounties.validation.receipt'] });
  const [row] = await deps.db
    .select({
      receivedAt: bountyTips.receivedAt,
      status: bountyTips.status,
      outcome: bountyTips.outcome,
      rewardFen: bountyTips.rewardFen,
      awardedAt: bountyTips.awardedAt,
      debtorName: bountyNotices.debtorName,
      noticeId: bountyNotices.id,
    })
    .from(bountyTips)
    .innerJoin(bountyNotices, eq(bountyNotices.id, bountyTips.noticeId))
    .where(eq(bountyTips.receiptHash, sha256(code)));
  if (!row) throw notFound();
  return { ...row, receipt: code };
}

async function tipToWrite(tx: Tx, actor: Actor, id: string) {
  if (!isUuid(id)) throw notFound();
  const [t] = await tx.select().from(bountyTips).where(eq(bountyTips.id, id)).for('update');
  if (!t || t.courtId !== courtOf(actor)) throw notFound();
  return t;
}

async function logAccess(tx: Tx, t: BountyTip, actor: Actor, purpose: string, at: Date) {
  await tx
    .insert(bountyTipAccess)
    .values({ tipId: t.id, courtId: t.courtId, userId: actor.userId, purpose, at });
}

/**
 * Art. 23: the case's court reads a tip's lead and informant; the reading is logged first, in the
 * same transaction, so no content is shown without its entry. Another court, the applicant and
 * the public: not found.
 */
export async function readTip(deps: BountyDeps, actor: Actor, tipId: string) {
  requirePermission(actor, 'manage:bounty');
  if (!isUuid(tipId)) throw notFound();
  return deps.db.transaction(async (tx) => {
    const [t] = await tx.select().from(bountyTips).where(eq(bountyTips.id, tipId));
    if (!t || t.courtId !== courtOf(actor)) throw notFound();
    const decisions = decideTipActions(actor, t);
    requireAllowed(decisions, 'read');
    const now = deps.clock();
    await logAccess(tx, t, actor, 'read', now);
    const [notice] = await tx.select().from(bountyNotices).where(eq(bountyNotices.id, t.noticeId));
    const log = await tx
      .select({ at: bountyTipAccess.at, purpose: bountyTipAccess.purpose, name: users.realName })
      .from(bountyTipAccess)
      .innerJoin(users, eq(users.id, bountyTipAccess.userId))
      .where(eq(bountyTipAccess.tipId, t.id))
      .orderBy(asc(bountyTipAccess.at));
    const earlier = await tx
      .select({ seq: bountyTips.seq, status: bountyTips.status })
      .from(bountyTips)
      .where(
        and(
          eq(bountyTips.noticeId, t.noticeId),
          eq(bountyTips.leadDigest, t.leadDigest),
          lt(bountyTips.seq, t.seq),
        ),
      )
      .orderBy(asc(bountyTips.seq));
    const informant = JSON.parse(decrypt(deps.piiKey, t.informantSealed)) as {
      name: string;
      contact: string;
    };
    const {
      leadSealed: _l,
      informantSealed: _i,
      leadDigest: _d,
      receiptHash: _r,
      submissionKey: _k,
      ...rest
    } = t;
    return {
      tip: { ...rest, lead: decrypt(deps.piiKey, t.leadSealed), informant },
      notice: notice!,
      sameLeadEarlier: earlier,
      accessLog: log,
      can: affordancesOf(decisions),
    };
  });
}

/**
 * The court verifies a tip: valid (a lead it did not hold) or invalid with the outcome. Art. 23:
 * the first of identical leads counts, so a later one cannot be found valid while an earlier
 * identical one stands.
 */
export async function assessTip(
  deps: BountyDeps,
  actor: Actor,
  tipId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:bounty');
  const data = parseInput(AssessSchema, input);
  return deps.db.transaction(async (tx) => {
    const t = await tipToWrite(tx, actor, tipId);
    requireAllowed(decideTipActions(actor, t), 'assess');
    const now = deps.clock();
    let duplicateOfId: string | null = null;
    if (data.verdict === 'valid') {
      // Lock the notice's earlier tips in arrival order: two assessments of the same lead are serial.
      const [first] = await tx
        .select({ seq: bountyTips.seq })
        .from(bountyTips)
        .where(
          and(
            eq(bountyTips.noticeId, t.noticeId),
            eq(bountyTips.leadDigest, t.leadDigest),
            lt(bountyTips.seq, t.seq),
            ne(bountyTips.status, 'invalid'),
          ),
        )
        .orderBy(asc(bountyTips.seq))
        .limit(1)
        .for('update');
      if (first) throw conflict('earlierSameLead', { seq: String(first.seq) });
    } else if (data.outcome === 'duplicate') {
      const [earlier] = await tx
        .select({ id: bountyTips.id })
        .from(bountyTips)
        .where(
          and(
            eq(bountyTips.noticeId, t.noticeId),
            eq(bountyTips.seq, data.duplicateOf!),
            lt(bountyTips.seq, t.seq),
          ),
        );
      if (!earlier) throw validationError({ duplicateOf: ['bounties.validation.duplicateOf'] });
      duplicateOfId = earlier.id;
    }
    await logAccess(tx, t, actor, 'assess', now);
    const [row] = await tx
      .update(bountyTips)
      .set({
        status: data.verdict,
        outcome: data.verdict === 'invalid' ? data.outcome! : null,
        duplicateOfId,
        assessmentNote: data.note ?? null,
        assessedBy: actor.userId,
        assessedAt: now,
      })
      .where(and(eq(bountyTips.id, t.id), eq(bountyTips.status, 'received')))
      .returning({ id: bountyTips.id, status: bountyTips.status });
    if (!row) throw conflict('changed');
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'bounty.tip_assessed',
      entityType: 'bounty_tip',
      entityId: t.id,
      data: { verdict: data.verdict, outcome: data.outcome ?? null },
      requestId,
    });
    return row;
  });
}

/**
 * Art. 24 and the 2011 opinion: a valid tip whose lead recovered money earns the notice's reward,
 * computed from what was recovered (capped), once. It is deducted from the enforcement money: a
 * `bounty_reward` cost of the case, which the next distribution plan pays before the creditors
 * (the court pays the informant from it); what exceeds the money recovered the applicant pays.
 */
export async function awardTip(
  deps: BountyDeps,
  actor: Actor,
  tipId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'decide:bounty');
  const data = parseInput(AwardSchema, input);
  return deps.db.transaction(async (tx) => {
    const t = await tipToWrite(tx, actor, tipId);
    requireAllowed(decideTipActions(actor, t), 'award');
    const [n] = await tx.select().from(bountyNotices).where(eq(bountyNotices.id, t.noticeId));
    const now = deps.clock();
    const recoveredFen = Number(data.recovered);
    if (!Number.isSafeInteger(recoveredFen)) throw validationError({ recovered: ['validation.amount'] });
    const rewardFen = rewardOf(n!, recoveredFen);
    const { deductedFen, applicantPaysFen } = deductionOf(rewardFen, recoveredFen);
    const cost =
      deductedFen > 0
        ? await deps.funds.recordCostIn(tx, {
            caseId: t.caseId,
            kind: 'bounty_reward',
            amountFen: BigInt(deductedFen),
            note: `悬赏举报 #${t.seq}`,
            by: actor.userId,
            now,
          })
        : null;
    const [row] = await tx
      .update(bountyTips)
      .set({
        status: 'awarded',
        recoveredFen,
        rewardFen,
        deductedFen,
        fundCostId: cost?.id ?? null,
        awardedBy: actor.userId,
        awardedAt: now,
      })
      .where(and(eq(bountyTips.id, t.id), eq(bountyTips.status, 'valid')))
      .returning();
    if (!row) throw conflict('changed');
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'bounty.reward_awarded',
      entityType: 'bounty_tip',
      entityId: t.id,
      data: { recoveredFen, rewardFen, deductedFen, applicantPaysFen },
      requestId,
    });
    await enqueue(tx, {
      topic: 'bounty.reward.awarded',
      payload: { tipId: t.id, noticeId: t.noticeId, seq: t.seq, recoveredFen, rewardFen, deductedFen },
      occurredAt: now,
    });
    return { ...row, applicantPaysFen };
  });
}

/** Leads still open on a case (tips waiting or verified): 失信规定 art. 10(4)'s "no lead" is false while any is. */
export async function openLeads(tx: Tx, caseId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(bountyTips)
    .where(and(eq(bountyTips.caseId, caseId), inArray(bountyTips.status, ['received', 'valid'])));
  return row?.n ?? 0;
}
