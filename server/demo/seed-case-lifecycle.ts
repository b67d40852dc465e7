import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { auditLog } from '../../db/schema/audit.js';
import { caseMeasures } from '../../db/schema/cases.js';
import { simulatedHoldingOf } from '../cases/property-search.js';
import { CASE_JOBS, RESEARCH_TIMES, researchAt, researchKey } from '../cases/research.js';
import { PROPERTY_CATEGORIES } from '../cases/schemas.js';
import { addDays, addMonths, beijingDateOf, timeLimitOf } from '../cases/time-limit.js';
import { type MeasureFact, zhongbenChecklist } from '../cases/zhongben.js';
import { scheduleJobs } from '../jobs/schedule.js';
import { chunked, prng } from './seed-aid-history.js';

/** A case of the aid history as it was written, before its lifecycle is filled in. */
export interface HistoryCase {
  id: string;
  caseNumber: string;
  clerkId: string;
  amountOwedFen: bigint;
  /** When its first aid claim was drafted: the case was closed as 终本 before that. */
  firstClaimAt: Date;
  debtor: { id: string; kind: 'person' | 'company'; name: string };
}

/**
 * The aid history's cases made real 终本 cases (ADR 016), in bulk but as the services would have
 * left them: filed 4 to 9 months before their closure, the measures of every 终本 condition dated
 * in between (notice and report order, the debtor's report checked, the restriction order, the
 * online search that found nothing, the applicant heard), the checklist and frozen time limit on
 * the case row, then each 6-monthly re-search already due (the simulated network's answer at that
 * date; property found opens resumption and stops the series) and the next one scheduled.
 */
export async function closeHistoryCases(tx: Tx, list: HistoryCase[], now: Date, factor = 1) {
  const rand = prng(20_260_302);
  const measures: (typeof caseMeasures.$inferInsert & { n: number })[] = [];
  const updates: string[][] = [];
  const jobs: Parameters<typeof scheduleJobs>[1] = [];
  const audits: (typeof auditLog.$inferInsert)[] = [];
  const today = beijingDateOf(now);
  for (const c of list) {
    const closedOn = addDays(beijingDateOf(c.firstClaimAt), -(10 + Math.floor(rand() * 40)));
    const filedOn = addMonths(closedOn, -(4 + Math.floor(rand() * 6)));
    const filedAt = new Date(`${filedOn}T02:00:00Z`);
    // The debtor's identity number: the first one the simulated network finds nothing for at the
    // closure, nor long after it (a finding of years ago would have been resumed by now): his
    // property appears, if ever, in the last two months or later, when the re-search finds it.
    let idNumber = '';
    for (let k = 0; ; k++) {
      idNumber = `630${String(100 + Math.floor(rand() * 900))}********${String(1000 + k).slice(-4)}`;
      const h = simulatedHoldingOf({ kind: c.debtor.kind, name: c.debtor.name, idNumber });
      if (h.findings.length === 0 || (h.from !== null && h.from.getTime() > now.getTime() - 60 * 86_400_000))
        break;
    }
    const subject = { kind: c.debtor.kind, name: c.debtor.name, idNumber };
    const holding = simulatedHoldingOf(subject);
    const facts: MeasureFact[] = [];
    const add = (
      kind: string,
      takenOn: string,
      details: Record<string, unknown>,
      by: string | null = c.clerkId,
    ) => {
      const id = randomUUID();
      measures.push({
        id,
        caseId: c.id,
        kind: kind as never,
        takenOn,
        details,
        takenBy: by,
        createdAt: new Date(`${takenOn}T03:00:00Z`),
        n: measures.length,
      });
      facts.push({ id, kind, takenOn, details });
      return id;
    };
    const search = (at: string, findings: unknown[], periodic?: number) => ({
      provider: 'simulated',
      categories: [...PROPERTY_CATEGORIES],
      ...(periodic && { periodic }),
      subjects: [{ partyId: c.debtor.id, name: c.debtor.name, covered: [...PROPERTY_CATEGORIES], findings }],
      ...(periodic && { applicantsTold: [], at }),
    });
    add('enforcement_notice', addDays(filedOn, 2), { serviceMethod: 'direct' });
    add('property_report_order', addDays(filedOn, 2), { reportWithinDays: 5 });
    add('property_report', addDays(filedOn, 10), {
      outcome: 'reported',
      summary: '被执行人申报名下无可供执行的财产，经核查属实。',
    });
    add('consumption_restriction', addDays(filedOn, 12), { persons: c.debtor.name });
    add('online_search', addDays(filedOn, 20), search(addDays(filedOn, 20), []));
    add('applicant_interview', addDays(closedOn, -3), {
      subject: 'zhongben',
      summary: '已告知申请执行人财产调查情况，申请执行人同意终结本次执行程序。',
      requests: [],
    });
    const checklist = zhongbenChecklist({ filedOn, on: closedOn, measures: facts });
    const limit = timeLimitOf({
      filedOn,
      caseType: 'first',
      titleKind: 'litigation',
      extensions: [],
      intervals: [],
      closedOn,
      today,
    })!;
    // The re-searches already due; the first to find property opens resumption.
    let resumption: { due: string; measureId: string } | null = null;
    let n = 1;
    for (; n <= RESEARCH_TIMES && researchAt(closedOn, n, factor) <= now; n++) {
      const at = researchAt(closedOn, n, factor);
      const present = holding.findings.length > 0 && (holding.from === null || holding.from <= at);
      const id = add(
        'online_search',
        beijingDateOf(at),
        search(beijingDateOf(at), present ? holding.findings : [], n),
        null,
      );
      if (present) {
        resumption = { due: addDays(beijingDateOf(at), 7), measureId: id };
        break;
      }
    }
    if (!resumption && n <= RESEARCH_TIMES)
      jobs.push({
        kind: CASE_JOBS.research,
        key: researchKey(c.id),
        runAt: researchAt(closedOn, n, factor),
        payload: { caseId: c.id, n },
      });
    updates.push([
      c.id,
      filedOn,
      closedOn,
      c.debtor.id,
      idNumber,
      String(c.amountOwedFen),
      `${c.caseNumber}之一`,
      String(limit.netDays),
      String(limit.withinLimit),
      limit.dueOn,
      JSON.stringify(checklist),
      filedAt.toISOString(),
      resumption?.due ?? '',
      resumption?.measureId ?? '',
      c.clerkId,
    ]);
    audits.push({
      at: new Date(`${closedOn}T03:00:00Z`),
      actorId: c.clerkId,
      action: 'case.closed',
      entityType: 'case',
      entityId: c.id,
      data: { from: 'open', to: 'terminated_without_property', mode: 'terminated_for_now', closedOn },
    });
  }
  await chunked(measures, 1000, (part) => tx.insert(caseMeasures).values(part.map(({ n: _n, ...m }) => m)));
  await chunked(updates, 500, async (part) => {
    const values = sql.join(
      part.map(
        (u) =>
          sql`(${sql.join(
            u.map((v) => sql`${v}`),
            sql`, `,
          )})`,
      ),
      sql`, `,
    );
    await tx.execute(sql`
      with v(id, filed_on, closed_on, debtor_id, debtor_number, unpaid, ruling, net_days, within_limit, due_on,
        checklist, filed_at, resumption_due, resumption_measure, clerk) as (values ${values}),
      parties as (update case_parties p set id_number_masked = v.debtor_number from v where p.id = v.debtor_id::uuid)
      update cases c set
        filed_on = v.filed_on::date, created_at = v.filed_at::timestamptz,
        status = 'terminated_without_property', closure_mode = 'terminated_for_now',
        closed_on = v.closed_on::date, closed_by = v.clerk::uuid, unpaid_fen = v.unpaid::bigint,
        closure_ruling = v.ruling, excluded_days = 0, net_days = v.net_days::int,
        within_limit = v.within_limit::boolean, due_on = v.due_on::date, zhongben_qualified = true,
        closure_checklist = v.checklist::jsonb,
        resumption_due_on = nullif(v.resumption_due, '')::date,
        resumption_measure_id = nullif(v.resumption_measure, '')::uuid
      from v where c.id = v.id::uuid`);
  });
  await chunked(audits, 1000, (part) => tx.insert(auditLog).values(part));
  await chunked(jobs, 1000, (part) => scheduleJobs(tx, part));
}
