/**
 * The ruling confirming the sale (成交裁定, art. 20) and its service (art. 26). A judge issues it
 * (`issue:sale-ruling`): its number, the PDF generated from the sale's facts and stored with its
 * sha256, the handover's 15 days starting (art. 27). Service is recorded with its day: ownership
 * passes then. The PDF is served to the court that owns the sale and to the buyer, nobody else.
 */
import { createHash } from 'node:crypto';
import { and, asc, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { assets, caseParties, cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { type Sale, sales } from '../../db/schema/sales.js';
import { requireAllowed } from '../affordances.js';
import { renderPdf } from '../documents/pdf.js';
import { notFound } from '../errors.js';
import {
  type Actor,
  can,
  courtOf,
  grantedAtCourt,
  requireActor,
  requirePermission,
} from '../identity/permissions.js';
import { notify } from '../notifications/service.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { decideSaleActions } from './affordances.js';
import { cancelRulingDue, scheduleHandoverDue } from './deadlines.js';
import type { SaleDeps } from './deps.js';
import { beijingDay, HANDOVER_DAYS, rulingNumberOf } from './rules.js';
import { type RulingFacts, rulingDocument } from './ruling-document.js';
import { ServiceSchema } from './schemas.js';
import { lockSale, moveSale } from './transitions.js';

export async function issueRuling(deps: SaleDeps, actor: Actor | null, listingId: string) {
  const me = requirePermission(actor, 'issue:sale-ruling');
  const courtId = courtOf(me);
  const now = deps.clock();
  let stored: string | null = null;
  try {
    return await deps.db.transaction(async (tx) => {
      const s = await lockSale(tx, courtId, listingId);
      requireAllowed(decideSaleActions(me, s), 'issueRuling');
      // One number after another within a case: two assets of a case ruled at once wait in turn.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sale-ruling:${s.caseId}`}))`);
      const [issued] = await tx
        .select({ n: count() })
        .from(sales)
        .where(and(eq(sales.caseId, s.caseId), isNotNull(sales.rulingNumber)));
      const facts = await rulingFacts(tx, s, me.userId, now);
      const number = rulingNumberOf(facts.caseNumber, (issued?.n ?? 0) + 1);
      const pdf = await renderPdf(rulingDocument({ ...facts, number }));
      const { key, sha256 } = await deps.storage.put(pdf);
      stored = key;
      const handoverDueAt = new Date(now.getTime() + HANDOVER_DAYS * deps.profile.durations.day);
      const moved = await moveSale(
        tx,
        s,
        'ruling_issued',
        {
          rulingNumber: number,
          rulingIssuedAt: now,
          rulingIssuedBy: me.userId,
          rulingStorageKey: key,
          rulingSha256: sha256,
          rulingSize: pdf.byteLength,
          handoverDueAt,
        },
        { actorId: me.userId, at: now, data: { number, sha256 } },
      );
      await cancelRulingDue(tx, s.id);
      await scheduleHandoverDue(tx, s.id, handoverDueAt);
      await notify(tx, {
        userId: s.buyerId,
        kind: 'saleRulingIssued',
        params: { title: facts.asset.title, number },
        link: '/me/purchases',
        dedupeKey: `sale:${s.id}:ruling-issued`,
        at: now,
      });
      return moved;
    });
  } catch (e) {
    // No row points at the bytes: none are kept.
    if (stored) await deps.storage.delete(stored);
    throw e;
  }
}

/** What the ruling states, read in the issuing transaction. */
async function rulingFacts(
  tx: Tx,
  s: Sale,
  judgeId: string,
  issuedAt: Date,
): Promise<Omit<RulingFacts, 'number'>> {
  const [[c], parties, [a], [buyer], [court], [l], [judge]] = await Promise.all([
    tx.select({ caseNumber: cases.caseNumber }).from(cases).where(eq(cases.id, s.caseId)),
    tx
      .select({ role: caseParties.role, name: caseParties.name })
      .from(caseParties)
      .where(eq(caseParties.caseId, s.caseId))
      .orderBy(asc(caseParties.role), asc(caseParties.name)),
    tx.select().from(assets).where(eq(assets.id, s.assetId)),
    tx
      .select({ name: users.realName, idMasked: users.nationalIdMasked })
      .from(users)
      .where(eq(users.id, s.buyerId)),
    tx.select({ name: organisations.nameZh }).from(organisations).where(eq(organisations.id, s.courtId)),
    tx
      .select({ kind: listings.kind, endedAt: listings.endedAt })
      .from(listings)
      .where(eq(listings.id, s.listingId)),
    tx.select({ name: users.realName }).from(users).where(eq(users.id, judgeId)),
  ]);
  return {
    court: court!.name,
    caseNumber: c!.caseNumber,
    applicants: parties.filter((p) => p.role === 'applicant').map((p) => p.name),
    respondents: parties.filter((p) => p.role === 'respondent').map((p) => p.name),
    buyer: buyer!,
    asset: {
      title: a!.title,
      address: [a!.province, a!.city, a!.district, a!.address].filter(Boolean).join(''),
      encumbrances: a!.encumbrances,
    },
    kind: l!.kind,
    priceFen: s.priceFen,
    endedAt: l!.endedAt ?? s.paidAt,
    paidAt: s.paidAt,
    eligibilityCheckedAt: s.purchaseRestricted ? s.eligibilityCheckedAt : null,
    judge: judge!.name,
    issuedAt,
  };
}

/** Art. 26: the day the ruling reached the buyer; ownership passes then. Not before the ruling, not in the future. */
export async function recordService(deps: SaleDeps, actor: Actor | null, listingId: string, input: unknown) {
  const me = requirePermission(actor, 'manage:sale');
  const courtId = courtOf(me);
  const { servedOn } = parseInput(ServiceSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const s = await lockSale(tx, courtId, listingId);
    requireAllowed(decideSaleActions(me, s), 'recordService');
    if (servedOn < beijingDay(s.rulingIssuedAt!))
      throw validationError({ servedOn: ['sales.validation.beforeRuling'] });
    if (servedOn > beijingDay(now)) throw validationError({ servedOn: ['sales.validation.inFuture'] });
    const moved = await moveSale(
      tx,
      s,
      'ruling_served',
      { servedOn, servedRecordedAt: now, servedRecordedBy: me.userId },
      { actorId: me.userId, at: now, data: { servedOn } },
    );
    const [l] = await tx.select({ title: listings.title }).from(listings).where(eq(listings.id, s.listingId));
    await notify(tx, {
      userId: s.buyerId,
      kind: 'saleRulingServed',
      params: { title: l!.title, day: servedOn },
      link: '/me/purchases',
      dedupeKey: `sale:${s.id}:served`,
      at: now,
    });
    return moved;
  });
}

/**
 * The ruling's PDF for the court that owns the sale (its staff who read cases) or for the buyer;
 * anyone else, and a sale without a ruling yet, is "not found". The bytes are checked against the
 * sha256 recorded when the ruling was issued.
 */
export async function readRuling(deps: SaleDeps, actor: Actor | null, listingId: string) {
  const me = requireActor(actor);
  if (!isUuid(listingId)) throw notFound();
  const [s] = await deps.db.select().from(sales).where(eq(sales.listingId, listingId));
  const mayRead =
    s && (grantedAtCourt(me, s.courtId, 'read:case') || (can(me, 'pay:own') && s.buyerId === me.userId));
  if (!s || !mayRead || !s.rulingStorageKey) throw notFound();
  const bytes = await deps.storage.get(s.rulingStorageKey);
  if (createHash('sha256').update(bytes).digest('hex') !== s.rulingSha256)
    throw new Error(`the stored ruling of sale ${s.id} does not match its sha256`);
  return {
    bytes,
    filename: `成交裁定书${s.rulingNumber}.pdf`,
    contentType: 'application/pdf',
    size: bytes.byteLength,
    sha256: s.rulingSha256!,
  };
}
