/**
 * The online property search (网络执行查控, 终本规定 art. 3(2)): each debtor of the case is searched
 * through the provider; the query is recorded as a measure with what it covered and what it
 * found. The provider is asked before the transaction (an outside call holds no lock); the
 * record is written under the case's lock.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Case, caseParties, cases } from '../../db/schema/cases.js';
import { requireAllowed } from '../affordances.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import type { CaseDeps } from './deps.js';
import { insertMeasure } from './measures.js';
import type { PropertyFinding, PropertySearchProvider } from './property-search.js';
import { decideCaseActions } from './rules.js';
import { PROPERTY_CATEGORIES, type PropertyCategory, PropertySearchSchema } from './schemas.js';
import { caseToRead, caseToWrite } from './scope.js';
import { beijingDateOf } from './time-limit.js';

export interface SearchRecord extends Record<string, unknown> {
  provider: string;
  categories: PropertyCategory[];
  /** The n-th search after 终本 (the 6-monthly repetition); absent for the court's own. */
  periodic?: number;
  subjects: { partyId: string; name: string; covered: PropertyCategory[]; findings: PropertyFinding[] }[];
}

/** Asks the provider about every debtor of the case. */
export async function searchDebtors(
  db: Tx | CaseDeps['db'],
  provider: PropertySearchProvider,
  caseId: string,
  categories: readonly PropertyCategory[],
  at: Date,
): Promise<SearchRecord> {
  const debtors = await db
    .select()
    .from(caseParties)
    .where(and(eq(caseParties.caseId, caseId), eq(caseParties.role, 'respondent')));
  const subjects = [];
  for (const d of debtors) {
    const answer = await provider.search(
      { kind: d.kind, name: d.name, idNumber: d.idNumberMasked },
      categories,
      at,
    );
    subjects.push({ partyId: d.id, name: d.name, covered: answer.covered, findings: answer.findings });
  }
  return { provider: provider.name, categories: [...categories], subjects };
}

/** Records a search's answer as a measure; property found marks the case as one with property. */
export async function recordSearch(
  tx: Tx,
  c: Case,
  record: SearchRecord,
  by: string | null,
  now: Date,
  requestId?: string,
) {
  const measure = await insertMeasure(
    tx,
    c,
    { kind: 'online_search', takenOn: beijingDateOf(now), details: record },
    by,
    now,
    requestId,
  );
  if (record.subjects.some((s) => s.findings.some((f) => f.disposable)) && !c.propertyFound)
    await tx.update(cases).set({ propertyFound: true }).where(eq(cases.id, c.id));
  return measure;
}

/** The clerk runs an online search of the case's debtors (all categories unless he chooses). */
export async function runPropertySearch(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown = {},
  requestId?: string,
) {
  requirePermission(actor, 'manage:case');
  const { categories = [...PROPERTY_CATEGORIES] } = parseInput(PropertySearchSchema, input ?? {});
  // Scope and state first, so a stranger or a closed case costs no query to the network.
  const seen = await caseToRead(deps.db, actor, caseId);
  requireAllowed(decideCaseActions(actor, seen), 'search');
  const record = await searchDebtors(deps.db, deps.propertySearch, seen.id, categories, deps.clock());
  return deps.db.transaction(async (tx) => {
    const c = await caseToWrite(tx, actor, caseId);
    requireAllowed(decideCaseActions(actor, c), 'search');
    return recordSearch(tx, c, record, actor.userId, deps.clock(), requestId);
  });
}
