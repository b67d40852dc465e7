import { simulatedHoldingOf } from '../cases/property-search.js';
import { addDays } from '../cases/time-limit.js';
import type { Actor } from '../identity/permissions.js';
import type { Services } from '../services.js';

/** Fen as the yuan string every form and API input takes. */
export const yuanOf = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;

/** A masked ID number under which the simulated network finds nothing for this person, ever. */
export function quietDebtorNumber(name: string, prefix = '630104') {
  for (let k = 0; ; k++) {
    const idNumber = `${prefix}********${String(1000 + k).slice(-4)}`;
    const h = simulatedHoldingOf({ kind: 'person', name, idNumber });
    if (h.findings.length === 0) return idNumber;
  }
}

/**
 * Takes a case to 终本 by the book, through the services: notice and property-report order a day
 * after filing, the debtor's report checked a week later, the consumption restriction, an online
 * search (the debtor must be one the network finds nothing for), the applicant heard, and the
 * ruling for the whole amount. The case must have been filed at least 3 months before the
 * services' clock. Used by the demo's live aid claims and by the tests' aid cases.
 */
export async function closeAsZhongben(services: Services, clerk: Actor, caseId: string) {
  const c = await services.cases.getCase(clerk, caseId);
  const today = c.today;
  // The n-th day after filing, or today if that is later than today (ISO dates sort as strings).
  const on = (days: number) => [addDays(c.filedOn, days), today].sort()[0]!;
  const debtors = c.parties.filter((p) => p.role === 'respondent').map((p) => p.name);
  const record = (kind: string, takenOn: string, details: Record<string, unknown>) =>
    services.cases.recordMeasure(clerk, caseId, { kind, takenOn, details });
  await record('enforcement_notice', on(1), { serviceMethod: 'direct' });
  await record('property_report_order', on(1), { reportWithinDays: 5 });
  await record('property_report', on(8), {
    outcome: 'reported',
    summary: '被执行人如实申报财产，经核查名下无可供执行的财产。',
  });
  await record('consumption_restriction', on(10), { persons: debtors.join('、') });
  await services.cases.runPropertySearch(clerk, caseId);
  await record('applicant_interview', today, {
    subject: 'zhongben',
    summary: '已告知申请执行人财产调查情况，申请执行人同意终结本次执行程序。',
  });
  return services.cases.closeCase(clerk, caseId, {
    mode: 'terminated_for_now',
    ruling: `${c.caseNumber}之一`,
    unpaid: yuanOf(c.amountOwedFen),
    confirmation: 'applicant_signed',
  });
}
