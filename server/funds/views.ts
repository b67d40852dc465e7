/**
 * What the pages and the API read (ADR 010): a case's funds for its court (costs, claims, the live
 * plan with its lines, recipients and objections, earlier plans, the 30-day countdown, the
 * timeline), and a creditor's own side (his share, the plan, his objection period, his payments),
 * each with what this viewer may do now. The plan's PDF for its court and its recipients only.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { caseMeasures, caseParties, cases } from '../../db/schema/cases.js';
import { disbursements } from '../../db/schema/disbursements.js';
import {
  type FundPlan,
  fundClaims,
  fundCosts,
  fundEvents,
  fundObjections,
  fundPlanLines,
  fundPlanRecipients,
  fundPlans,
  fundReleases,
} from '../../db/schema/funds.js';
import { saleEvents, sales } from '../../db/schema/sales.js';
import { affordancesOf } from '../affordances.js';
import { caseToRead } from '../cases/scope.js';
import { notFound } from '../errors.js';
import {
  type Actor,
  can,
  courtIdOf,
  grantedAtCourt,
  permissionRefusal,
  requireActor,
} from '../identity/permissions.js';
import { balanceOf } from '../ledger/ledger.js';
import { isUuid } from '../validation.js';
import type { FundDeps } from './deps.js';
import { outstanding } from './drafting.js';
import {
  beijingDay,
  decideObjectionActions,
  decidePlanActions,
  FUNDS_PURPOSE,
  objectionInTime,
  ROUNDING_RULE,
} from './rules.js';

type Db = FundDeps['db'] | Tx;

async function planDetail(db: Db, p: FundPlan) {
  const [lines, recipients, objections] = await Promise.all([
    db
      .select()
      .from(fundPlanLines)
      .where(eq(fundPlanLines.planId, p.id))
      .orderBy(asc(fundPlanLines.position)),
    db
      .select()
      .from(fundPlanRecipients)
      .where(eq(fundPlanRecipients.planId, p.id))
      .orderBy(asc(fundPlanRecipients.name)),
    db
      .select()
      .from(fundObjections)
      .where(eq(fundObjections.planId, p.id))
      .orderBy(asc(fundObjections.filedAt)),
  ]);
  return { plan: p, lines, recipients, objections };
}

/** The case's funds for its court's staff. */
export async function caseFunds(deps: FundDeps, actor: Actor | null, caseId: string) {
  const me = requireActor(actor);
  if (!isUuid(caseId)) throw notFound();
  const [c] = await deps.db.select().from(cases).where(eq(cases.id, caseId));
  if (!c || !grantedAtCourt(me, c.courtId, 'read:case')) throw notFound();
  const now = deps.clock();
  const [costs, claims, parties, plans, [release], events] = await Promise.all([
    deps.db.select().from(fundCosts).where(eq(fundCosts.caseId, c.id)).orderBy(asc(fundCosts.recordedAt)),
    deps.db.select().from(fundClaims).where(eq(fundClaims.caseId, c.id)).orderBy(asc(fundClaims.sequence)),
    deps.db
      .select()
      .from(caseParties)
      .where(eq(caseParties.caseId, c.id))
      .orderBy(asc(caseParties.role), asc(caseParties.name)),
    deps.db.select().from(fundPlans).where(eq(fundPlans.caseId, c.id)).orderBy(desc(fundPlans.draftedAt)),
    deps.db.select().from(fundReleases).where(eq(fundReleases.caseId, c.id)),
    deps.db
      .select()
      .from(fundEvents)
      .where(eq(fundEvents.caseId, c.id))
      .orderBy(asc(fundEvents.at), asc(fundEvents.id)),
  ]);
  const balanceFen = await balanceOf(deps.db, `case:${c.id}`).catch(() => 0n);
  const live = plans.find((p) => p.status !== 'superseded' && p.status !== 'paid') ?? plans[0] ?? null;
  const detail = live ? await planDetail(deps.db, live) : null;
  const payments = detail
    ? await deps.db
        .select()
        .from(disbursements)
        .where(
          and(
            eq(disbursements.purpose, FUNDS_PURPOSE),
            inArray(
              disbursements.subjectId,
              detail.lines.map((l) => l.id).concat(['00000000-0000-0000-0000-000000000000']),
            ),
          ),
        )
        .orderBy(asc(disbursements.createdAt))
    : [];
  const manage = permissionRefusal(me, 'manage:funds') ?? (courtIdOf(me) === c.courtId ? null : notFound());
  const open = c.closedOn === null;
  const partyName = new Map(parties.map((p) => [p.id, p.name]));
  const today = beijingDay(now);
  return {
    case: c,
    parties,
    costs,
    claims: claims.map((k) => ({
      ...k,
      creditor: partyName.get(k.partyId) ?? '',
      owed: outstanding(k, today),
    })),
    plans,
    live: detail && {
      ...detail,
      objections: detail.objections.map((o) => ({
        ...o,
        can: affordancesOf(decideObjectionActions(me, c.courtId, o, now)),
      })),
      can: affordancesOf(
        decidePlanActions(me, detail.plan, { unserved: detail.recipients.filter((r) => !r.servedOn).length }),
      ),
    },
    payments,
    release: release ?? null,
    balanceFen,
    events,
    roundingRule: ROUNDING_RULE,
    can: {
      recordCost: manage === null && open,
      recordClaim: manage === null && open,
      draft:
        manage === null &&
        open &&
        (!live || ['draft', 'served', 'final', 'paid', 'superseded'].includes(live.status)),
      requestDeferral: manage === null && !!release && !release.releasedAt && !release.deferralReason,
      approveDeferral:
        can(me, 'approve:funds-deferral') &&
        courtIdOf(me) === c.courtId &&
        !!release?.deferralReason &&
        !release.deferralApprovedAt &&
        release.deferralRequestedBy !== me.userId,
      endDeferral: manage === null && !!release?.deferralApprovedAt && !release.releasedAt,
    },
  };
}

/** A creditor's (or the debtor's) own side of every case he is a party of: the plan, his share, his period, his payments. */
export async function myFunds(deps: FundDeps, actor: Actor | null) {
  const me = requireActor(actor);
  const now = deps.clock();
  const mine = await deps.db
    .select({ party: caseParties, caseNumber: cases.caseNumber })
    .from(caseParties)
    .innerJoin(cases, eq(cases.id, caseParties.caseId))
    .where(eq(caseParties.userId, me.userId));
  const out = [];
  for (const { party, caseNumber } of mine) {
    const plans = await deps.db
      .select()
      .from(fundPlans)
      .where(eq(fundPlans.caseId, party.caseId))
      .orderBy(desc(fundPlans.draftedAt));
    const p = plans.find((x) => x.status !== 'superseded' && x.status !== 'draft');
    if (!p) continue;
    const d = await planDetail(deps.db, p);
    const recipient = d.recipients.find((r) => r.partyId === party.id) ?? null;
    if (!recipient) continue;
    const claims = await deps.db.select().from(fundClaims).where(eq(fundClaims.partyId, party.id));
    const myLines = d.lines.filter((l) => claims.some((k) => k.id === l.claimId));
    const payments = myLines.length
      ? await deps.db
          .select({
            id: disbursements.id,
            subjectId: disbursements.subjectId,
            amountFen: disbursements.amountFen,
            status: disbursements.status,
            settledAt: disbursements.settledAt,
            createdAt: disbursements.createdAt,
          })
          .from(disbursements)
          .where(
            and(
              eq(disbursements.purpose, FUNDS_PURPOSE),
              inArray(
                disbursements.subjectId,
                myLines.map((l) => l.id),
              ),
            ),
          )
          .orderBy(asc(disbursements.createdAt))
      : [];
    out.push({
      caseNumber,
      party,
      plan: p,
      lines: d.lines,
      myLineIds: myLines.map((l) => l.id),
      recipient,
      objections: d.objections.filter((o) => o.recipientId === recipient.id),
      payments,
      can: { object: p.status === 'served' && objectionInTime(now, recipient.objectionDueAt) },
    });
  }
  return out;
}

/** The plan's PDF for its court's staff and its recipients; anyone else: not found. Checked against its sha256. */
export async function readPlanDocument(deps: FundDeps, actor: Actor | null, planId: string) {
  const me = requireActor(actor);
  if (!isUuid(planId)) throw notFound();
  const [p] = await deps.db.select().from(fundPlans).where(eq(fundPlans.id, planId));
  if (!p?.documentKey) throw notFound();
  let may = grantedAtCourt(me, p.courtId, 'read:case');
  if (!may) {
    const rows = await deps.db
      .select({ id: fundPlanRecipients.id })
      .from(fundPlanRecipients)
      .innerJoin(caseParties, eq(caseParties.id, fundPlanRecipients.partyId))
      .where(and(eq(fundPlanRecipients.planId, p.id), eq(caseParties.userId, me.userId)));
    may = rows.length > 0 && p.status !== 'draft';
  }
  if (!may) throw notFound();
  const bytes = await deps.storage.get(p.documentKey);
  if (createHash('sha256').update(bytes).digest('hex') !== p.documentSha256)
    throw new Error(`the stored plan ${p.id} does not match its sha256`);
  return {
    bytes,
    filename: `分配方案${p.number}.pdf`,
    contentType: 'application/pdf',
    size: bytes.byteLength,
  };
}

/** The court's plans in flight (the funds desk): drafts, served, final, approved. */
export async function fundsDesk(deps: FundDeps, actor: Actor | null) {
  const me = requireActor(actor);
  const courtId = courtIdOf(me);
  if (!courtId || !can(me, 'read:case')) throw notFound();
  return deps.db
    .select({ plan: fundPlans, caseNumber: cases.caseNumber })
    .from(fundPlans)
    .innerJoin(cases, eq(cases.id, fundPlans.caseId))
    .where(
      and(
        eq(fundPlans.courtId, courtId),
        inArray(fundPlans.status, ['draft', 'served', 'final', 'approved']),
      ),
    )
    .orderBy(asc(fundPlans.draftedAt));
}

/**
 * The case's whole story on one timeline (issue 16 §7): seizures and other measures, each
 * auction round announced and ended, the sale's steps (balance paid, ruling, service, handover),
 * then the funds (plan, service, objections, payments, aid recovered) and the closure. For the
 * staff who read the case; each entry a catalog key (`funds.story.<source>`) with its data.
 */
export async function caseStory(deps: FundDeps, actor: Actor | null, caseId: string) {
  const me = requireActor(actor);
  if (!can(me, 'read:case')) throw notFound();
  // The case page's reach: a court's own cases and, read-only, those of the courts below it.
  const c = await caseToRead(deps.db, me, caseId);
  const [measures, rounds, saleSteps, funds] = await Promise.all([
    deps.db.select().from(caseMeasures).where(eq(caseMeasures.caseId, c.id)),
    deps.db.select().from(listings).where(eq(listings.caseId, c.id)),
    deps.db
      .select({ e: saleEvents, listingId: sales.listingId })
      .from(saleEvents)
      .innerJoin(sales, eq(sales.id, saleEvents.saleId))
      .where(eq(sales.caseId, c.id)),
    deps.db.select().from(fundEvents).where(eq(fundEvents.caseId, c.id)),
  ]);
  type Entry = { key: string; at: Date; kind: string; amountFen: bigint | null; detail: string };
  const entries: Entry[] = [
    ...measures.map((m) => ({
      key: `m-${m.id}`,
      at: new Date(`${m.takenOn}T00:00:00+08:00`),
      kind: `measure.${m.kind}`,
      amountFen: null,
      detail: m.note ?? '',
    })),
    ...rounds.flatMap((l) => [
      {
        key: `l-${l.id}-a`,
        at: l.announceAt,
        kind: 'round.announced',
        amountFen: null,
        detail: String(l.round),
      },
      ...(l.endedAt
        ? [
            {
              key: `l-${l.id}-e`,
              at: l.endedAt,
              kind: `round.${l.status}`,
              amountFen: null,
              detail: String(l.round),
            },
          ]
        : []),
    ]),
    ...saleSteps.map(({ e }) => ({
      key: `s-${e.id}`,
      at: e.at,
      kind: `sale.${e.kind}`,
      amountFen: null,
      detail: '',
    })),
    ...funds.map((e) => ({
      key: `f-${e.id}`,
      at: e.at,
      kind: `funds.${e.kind}`,
      amountFen: e.amountFen,
      detail: e.data.name ?? e.data.creditor ?? e.data.payee ?? '',
    })),
  ];
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || a.key.localeCompare(b.key));
}
