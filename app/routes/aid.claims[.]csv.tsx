import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvDateTime, csvFilename, csvResponse, fenToYuan, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';

/** The aid claims as a spreadsheet, with the filters of /aid (the whole filtered set, in queue order). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  delete query.before;
  const found = await load(request, () =>
    context.services.aid.claims.listClaims(auth.actor, query, null),
  ).catch(plainError);
  const { t } = serverI18n(context.locale);
  const money = (fen: bigint | null) => (fen === null ? null : fenToYuan(fen));
  const csv = toCsv(
    [
      t('aid.claim.number'),
      t('aid.claim.applicant'),
      t('aid.claim.caseNumber'),
      t('aid.claim.status'),
      t('aid.queue.csv.requestedYuan'),
      t('aid.queue.csv.computedYuan'),
      t('aid.queue.csv.approvedYuan'),
      t('aid.queue.csv.paidYuan'),
      t('aid.queue.csv.submittedAt'),
      t('aid.queue.csv.decisionDueAt'),
    ],
    found.rows.map((r) => [
      r.number,
      r.applicantName,
      r.caseNumber,
      t(`aidStatus.${r.status}`),
      money(r.requestedFen),
      money(r.computedFen),
      money(r.approvedFen),
      money(r.paidFen),
      csvDateTime(r.submittedAt),
      csvDateTime(r.decisionDueAt),
    ]),
  );
  return csvResponse(csv, csvFilename('aid-claims', new Date()));
}
