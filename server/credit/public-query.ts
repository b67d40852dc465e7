/**
 * The public query (ADR 019), in the manner of 中国执行信息公开网: search the list by name (and
 * ID number or credit code, province, court); each entry shows exactly the fields 失信规定 art. 6
 * allows, an individual's ID masked as the national list masks it; the restricted persons
 * (限制消费令) too.
 *
 * Against scraping: a per-client counter in PostgreSQL (so every process counts the same), keyed
 * by a keyed digest of the client's address (no address stored). Past a burst of BURST searches
 * a minute, the client answers an arithmetic challenge (readable by a screen reader, unlike an
 * image) that clears it for CLEARED_MS; past HARD searches a minute it is refused outright.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, ilike, type SQL, sql } from 'drizzle-orm';
import { cases } from '../../db/schema/cases.js';
import {
  creditListings,
  creditQueryClients,
  creditRestrictedPersons,
  creditRestrictions,
} from '../../db/schema/credit.js';
import { organisations } from '../../db/schema/identity.js';
import { beijingDateOf } from '../cases/time-limit.js';
import { DomainError } from '../errors.js';
import { keyedDigest } from '../identity/crypto.js';
import { parseInput } from '../validation.js';
import type { CreditDeps } from './deps.js';
import { idDigestOf } from './ids.js';
import { IN_FORCE, PUBLISHED } from './partners.js';
import { ageOn } from './rules.js';
import { PublicQuerySchema } from './schemas.js';

export const QUERY_LIMITS = {
  windowMs: 60_000,
  burst: 10,
  hard: 60,
  clearedMs: 10 * 60_000,
  challengeTtlMs: 5 * 60_000,
};
const PAGE_SIZE = 20;

const challengeKey = (piiKey: Buffer) =>
  createHmac('sha256', piiKey).update('lastmile:credit:challenge:v1').digest();
export const clientKeyOf = (deps: CreditDeps, ip: string) =>
  keyedDigest(createHmac('sha256', deps.piiKey).update('lastmile:credit:client:v1').digest(), ip);

/** A question and a signed token that carries its answer's digest, this client's key and an expiry. */
export function newChallenge(deps: CreditDeps, clientKey: string) {
  const a = randomInt(2, 20);
  const b = randomInt(2, 20);
  const exp = deps.clock().getTime() + QUERY_LIMITS.challengeTtlMs;
  const body = Buffer.from(JSON.stringify({ c: clientKey.slice(0, 16), exp, s: a + b })).toString(
    'base64url',
  );
  const mac = createHmac('sha256', challengeKey(deps.piiKey)).update(body).digest('base64url');
  return { token: `${body}.${mac}`, a, b };
}

export function challengeSolved(deps: CreditDeps, clientKey: string, token: string, answer: string): boolean {
  const [body, mac] = token.split('.');
  if (!body || !mac) return false;
  const expected = createHmac('sha256', challengeKey(deps.piiKey)).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      c: string;
      exp: number;
      s: number;
    };
    return p.c === clientKey.slice(0, 16) && p.exp > deps.clock().getTime() && String(p.s) === answer.trim();
  } catch {
    return false;
  }
}

/** Counts one search for the client; answers whether it may search now, must answer a challenge, or is refused. */
async function admit(deps: CreditDeps, clientKey: string, solved: boolean): Promise<'ok' | 'challenge'> {
  const now = deps.clock();
  const windowFrom = new Date(now.getTime() - QUERY_LIMITS.windowMs).toISOString();
  const cleared = solved ? new Date(now.getTime() + QUERY_LIMITS.clearedMs) : null;
  const [row] = await deps.db
    .insert(creditQueryClients)
    .values({ clientKey, windowStart: now, count: 1, clearedUntil: cleared })
    .onConflictDoUpdate({
      target: creditQueryClients.clientKey,
      set: {
        windowStart: sql`case when ${creditQueryClients.windowStart} < ${windowFrom}::timestamptz then ${now.toISOString()}::timestamptz else ${creditQueryClients.windowStart} end`,
        count: sql`case when ${creditQueryClients.windowStart} < ${windowFrom}::timestamptz then 1 else ${creditQueryClients.count} + 1 end`,
        ...(cleared && { clearedUntil: cleared }),
      },
    })
    .returning({ count: creditQueryClients.count, clearedUntil: creditQueryClients.clearedUntil });
  if (row!.count > QUERY_LIMITS.hard) throw new DomainError('rate_limited', 'credit.errors.tooManySearches');
  if (row!.count > QUERY_LIMITS.burst && !(row!.clearedUntil && row!.clearedUntil > now)) return 'challenge';
  return 'ok';
}

export type PublicSearch =
  | { kind: 'challenge'; token: string; a: number; b: number; query: Record<string, unknown> }
  | {
      kind: 'results';
      listings: PublicListing[];
      restricted: PublicRestricted[];
      query: Record<string, unknown>;
    };
export type PublicListing = Awaited<ReturnType<typeof findListings>>[number];
export type PublicRestricted = Awaited<ReturnType<typeof findRestricted>>[number];

async function findListings(
  deps: CreditDeps,
  q: { name: string; idNumber?: string; province?: string; court?: string; page: number },
) {
  const where: (SQL | undefined)[] = [PUBLISHED, eq(creditListings.name, q.name)];
  if (q.idNumber) where.push(eq(creditListings.idDigest, idDigestOf(deps.piiKey, q.idNumber)));
  if (q.province) where.push(eq(creditListings.province, q.province));
  if (q.court) where.push(ilike(organisations.nameZh, `%${q.court.replace(/[%_\\]/g, '')}%`));
  const today = beijingDateOf(deps.clock());
  const rows = await deps.db
    .select({
      id: creditListings.id,
      subjectKind: creditListings.subjectKind,
      name: creditListings.name,
      sex: creditListings.sex,
      birthDate: creditListings.birthDate,
      idPublished: creditListings.idPublished,
      legalRepresentative: creditListings.legalRepresentative,
      province: creditListings.province,
      ground: creditListings.ground,
      conduct: creditListings.conduct,
      obligation: creditListings.obligation,
      performedFen: creditListings.performedFen,
      unperformedFen: creditListings.unperformedFen,
      titleNumber: creditListings.titleNumber,
      titleIssuer: creditListings.titleIssuer,
      publishedAt: creditListings.publishedAt,
      caseNumber: cases.caseNumber,
      filedOn: cases.filedOn,
      court: organisations.nameZh,
    })
    .from(creditListings)
    .innerJoin(cases, eq(cases.id, creditListings.caseId))
    .innerJoin(organisations, eq(organisations.id, creditListings.courtId))
    .where(and(...where))
    .orderBy(asc(creditListings.publishedAt))
    .limit(PAGE_SIZE)
    .offset((q.page - 1) * PAGE_SIZE);
  // Art. 6: a person's age, not his birth date.
  return rows.map(({ birthDate, ...r }) => ({ ...r, age: birthDate ? ageOn(birthDate, today) : null }));
}

async function findRestricted(
  deps: CreditDeps,
  q: { name: string; idNumber?: string; province?: string; court?: string },
) {
  const where: (SQL | undefined)[] = [IN_FORCE, eq(creditRestrictedPersons.name, q.name)];
  if (q.idNumber) where.push(eq(creditRestrictedPersons.idDigest, idDigestOf(deps.piiKey, q.idNumber)));
  if (q.province) where.push(eq(creditRestrictions.province, q.province));
  if (q.court) where.push(ilike(organisations.nameZh, `%${q.court.replace(/[%_\\]/g, '')}%`));
  return deps.db
    .select({
      id: creditRestrictedPersons.id,
      name: creditRestrictedPersons.name,
      role: creditRestrictedPersons.role,
      idPublished: creditRestrictedPersons.idPublished,
      debtor: creditRestrictions.name,
      orderNumber: creditRestrictions.orderNumber,
      items: creditRestrictions.items,
      issuedOn: creditRestrictions.issuedOn,
      caseNumber: cases.caseNumber,
      court: organisations.nameZh,
    })
    .from(creditRestrictedPersons)
    .innerJoin(creditRestrictions, eq(creditRestrictions.id, creditRestrictedPersons.restrictionId))
    .innerJoin(cases, eq(cases.id, creditRestrictions.caseId))
    .innerJoin(organisations, eq(organisations.id, creditRestrictions.courtId))
    .where(and(...where))
    .orderBy(asc(creditRestrictions.issuedOn))
    .limit(PAGE_SIZE);
}

/**
 * One search from one client (its address): counted, perhaps challenged, then answered with the
 * published fields only. `challenge` is the token and answer the client sent back, if any.
 */
export async function searchPublic(
  deps: CreditDeps,
  client: string,
  input: unknown,
  challenge?: { token: string; answer: string } | null,
): Promise<PublicSearch> {
  const q = parseInput(PublicQuerySchema, input);
  const clientKey = clientKeyOf(deps, client);
  const solved = !!challenge && challengeSolved(deps, clientKey, challenge.token, challenge.answer);
  const query = { ...q };
  if ((await admit(deps, clientKey, solved)) === 'challenge') {
    return { kind: 'challenge', ...newChallenge(deps, clientKey), query };
  }
  const [listings, restricted] = await Promise.all([findListings(deps, q), findRestricted(deps, q)]);
  return { kind: 'results', listings, restricted, query };
}

/** The provinces and courts the form offers. */
export async function queryOptions(deps: CreditDeps) {
  const rows = await deps.db
    .select({ province: organisations.province, court: organisations.nameZh })
    .from(organisations)
    .where(eq(organisations.kind, 'court'))
    .orderBy(asc(organisations.province), asc(organisations.nameZh));
  return {
    provinces: [...new Set(rows.map((r) => r.province).filter((p): p is string => !!p))],
    courts: rows.map((r) => r.court),
  };
}
