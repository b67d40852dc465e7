/**
 * What the sales pages and the court API read: the court's post-sale desk (rulings due, overdue
 * first; handovers due; recently handed over), one sale with its steps, record and what this
 * viewer may do now (`can`, affordances.ts); and the buyer's own purchases. A court sees its own
 * sales only (another court's is "not found"); the buyer sees his own and no staff names.
 */
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { listings, registrations } from '../../db/schema/auctions.js';
import { assets, cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { balances } from '../../db/schema/payments.js';
import { type Sale, saleEvents, sales } from '../../db/schema/sales.js';
import { affordancesOf } from '../affordances.js';
import { notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { isUuid } from '../validation.js';
import { decideSaleActions } from './affordances.js';
import type { SaleDeps } from './deps.js';
import { AWAITING_HANDOVER, BEFORE_RULING, extinguishedBySale, saleSteps, winnerRoad } from './rules.js';

/** The sale as pages and the API see it: never where its PDF is stored. */
const shown = ({ rulingStorageKey: _k, ...s }: Sale) => s;

/** Overdue first (the job marked it), then the nearest deadline. */
const byDeadline = (due: (s: Sale) => Date | null, overdue: (s: Sale) => Date | null) => (a: Sale, b: Sale) =>
  Number(overdue(b) !== null) - Number(overdue(a) !== null) ||
  (due(a)?.getTime() ?? Number.POSITIVE_INFINITY) - (due(b)?.getTime() ?? Number.POSITIVE_INFINITY);

export async function courtDesk(deps: SaleDeps, actor: Actor | null) {
  const me = requirePermission(actor, 'read:case');
  const courtId = courtOf(me);
  const row = {
    sale: sales,
    title: listings.title,
    caseNumber: cases.caseNumber,
    buyer: users.realName,
  };
  const base = () =>
    deps.db
      .select(row)
      .from(sales)
      .innerJoin(listings, eq(listings.id, sales.listingId))
      .innerJoin(cases, eq(cases.id, sales.caseId))
      .innerJoin(users, eq(users.id, sales.buyerId));
  const [open, done] = await Promise.all([
    base().where(and(eq(sales.courtId, courtId), ne(sales.status, 'handed_over'))),
    base()
      .where(and(eq(sales.courtId, courtId), eq(sales.status, 'handed_over')))
      .orderBy(desc(sales.updatedAt))
      .limit(20),
  ]);
  const view = (r: (typeof open)[number]) => ({ ...r, sale: shown(r.sale) });
  const rulings = open
    .filter((r) => BEFORE_RULING.includes(r.sale.status))
    .sort((a, b) =>
      byDeadline(
        (s) => s.rulingDueAt,
        (s) => s.rulingOverdueAt,
      )(a.sale, b.sale),
    );
  const handovers = open
    .filter((r) => AWAITING_HANDOVER.includes(r.sale.status))
    .sort((a, b) =>
      byDeadline(
        (s) => s.handoverDueAt,
        (s) => s.handoverOverdueAt,
      )(a.sale, b.sale),
    );
  return {
    rulings: rulings.map(view),
    handovers: handovers.map(view),
    done: done.map(view),
    overdue: {
      rulings: rulings.filter((r) => r.sale.rulingOverdueAt !== null).length,
      handovers: handovers.filter((r) => r.sale.handoverOverdueAt !== null).length,
    },
    serverTime: deps.clock(),
  };
}

/**
 * One sold listing of the court: its sale with the steps, the record (with the staff's names),
 * the encumbrances the ruling extinguishes and those it leaves, and `can`. Sold but its balance
 * not yet paid: no sale yet, the balance's deadline instead.
 */
export async function saleForCourt(deps: SaleDeps, actor: Actor | null, listingId: string) {
  const me = requirePermission(actor, 'read:case');
  const courtId = courtOf(me);
  if (!isUuid(listingId)) throw notFound();
  const { db } = deps;
  const [l] = await db
    .select({
      id: listings.id,
      title: listings.title,
      kind: listings.kind,
      round: listings.round,
      status: listings.status,
      outcome: listings.outcome,
      endedAt: listings.endedAt,
      purchaseRestricted: listings.purchaseRestricted,
      caseId: listings.caseId,
      assetId: listings.assetId,
      caseNumber: cases.caseNumber,
    })
    .from(listings)
    .innerJoin(cases, eq(cases.id, listings.caseId))
    .where(and(eq(listings.id, listingId), eq(listings.courtId, courtId)));
  if (!l) throw notFound();
  const [[s], [a]] = await Promise.all([
    db.select().from(sales).where(eq(sales.listingId, l.id)),
    db.select().from(assets).where(eq(assets.id, l.assetId)),
  ]);
  const asset = {
    id: a!.id,
    title: a!.title,
    address: [a!.province, a!.city, a!.district, a!.address].filter(Boolean).join(''),
    extinguished: a!.encumbrances.filter(extinguishedBySale),
    continuing: a!.encumbrances.filter((e) => !extinguishedBySale(e)),
  };
  if (!s) {
    if (l.outcome !== 'sold') throw notFound();
    const [b] = await db
      .select({ status: balances.status, dueAt: balances.dueAt, amountFen: balances.amountFen })
      .from(balances)
      .where(eq(balances.listingId, l.id));
    return { listing: l, asset, sale: null, balance: b ?? null, serverTime: deps.clock() };
  }
  const [[buyer], events] = await Promise.all([
    db
      .select({ name: users.realName, idMasked: users.nationalIdMasked, code: registrations.code })
      .from(users)
      .innerJoin(registrations, eq(registrations.id, s.registrationId))
      .where(eq(users.id, s.buyerId)),
    db
      .select()
      .from(saleEvents)
      .where(eq(saleEvents.saleId, s.id))
      .orderBy(asc(saleEvents.at), asc(saleEvents.id)),
  ]);
  const staffIds = [...new Set(events.map((e) => e.actorId).filter((id): id is string => id !== null))];
  const staff = staffIds.length
    ? await db
        .select({ id: users.id, name: users.realName })
        .from(users)
        .where(and(inArray(users.id, staffIds), eq(users.organisationId, courtId)))
    : [];
  const names = new Map(staff.map((u) => [u.id, u.name]));
  return {
    listing: l,
    asset,
    sale: shown(s),
    buyer: buyer ?? null,
    steps: saleSteps(s, l.endedAt ?? s.paidAt),
    record: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      at: e.at,
      data: e.data,
      by: e.actorId === null ? null : (names.get(e.actorId) ?? null),
    })),
    /** What this viewer may do now; each action re-checks the same decision under its lock. */
    can: affordancesOf(decideSaleActions(me, s)),
    serverTime: deps.clock(),
  };
}

const HANDOVER_RECORD = ['handover_scheduled', 'handover_obstructed', 'handed_over'];

/** The buyer's side of sales: steps with dates and deadlines, the handover record, no staff names. */
async function buyerViews(db: Database, userId: string, listingId?: string) {
  const rows = await db
    .select({
      sale: sales,
      balance: balances,
      title: listings.title,
      endedAt: listings.endedAt,
      courtZh: organisations.nameZh,
      courtEn: organisations.nameEn,
    })
    .from(sales)
    .innerJoin(listings, eq(listings.id, sales.listingId))
    .innerJoin(balances, eq(balances.id, sales.balanceId))
    .innerJoin(organisations, eq(organisations.id, sales.courtId))
    .where(and(eq(sales.buyerId, userId), listingId ? eq(sales.listingId, listingId) : undefined))
    .orderBy(desc(sales.paidAt));
  const events = rows.length
    ? await db
        .select()
        .from(saleEvents)
        .where(
          and(
            inArray(
              saleEvents.saleId,
              rows.map((r) => r.sale.id),
            ),
            inArray(saleEvents.kind, HANDOVER_RECORD),
          ),
        )
        .orderBy(asc(saleEvents.at), asc(saleEvents.id))
    : [];
  return rows.map(({ sale: s, balance, ...r }) => ({
    listingId: s.listingId,
    title: r.title,
    court: { nameZh: r.courtZh, nameEn: r.courtEn },
    priceFen: s.priceFen,
    status: s.status,
    // The same road the auction page shows its winner (road.ts).
    steps: winnerRoad({
      endedAt: r.endedAt ?? s.paidAt,
      purchaseRestricted: s.purchaseRestricted,
      balance,
      sale: s,
    }),
    ruling: s.rulingNumber ? { number: s.rulingNumber, issuedAt: s.rulingIssuedAt! } : null,
    handoverRecord: events
      .filter((e) => e.saleId === s.id)
      .map((e) => ({ id: e.id, kind: e.kind, at: e.at, data: e.data })),
  }));
}

/** The buyer's purchases: every sale whose balance he paid. */
export async function mySales(deps: SaleDeps, actor: Actor | null) {
  const me = requirePermission(actor, 'pay:own');
  return { sales: await buyerViews(deps.db, me.userId), serverTime: deps.clock() };
}
