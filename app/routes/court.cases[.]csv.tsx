import type { LoaderFunctionArgs } from '@remix-run/node';
import { CaseListQuerySchema } from '../../server/cases/schemas';
import { csvDateTime, csvFilename, csvResponse, fenToYuan, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';

/** The cases as a spreadsheet, with the filters of /court/cases: the whole filtered set (ADR 030). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = CaseListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const found = await load(request, () =>
    context.services.cases.listCases(auth.actor, { ...query, before: undefined }, null),
  ).catch(plainError);
  const { t } = serverI18n(context.locale);
  const csv = toCsv(
    [
      t('cases.caseNumber'),
      t('overdue.court'),
      t('caseLife.caseType'),
      t('cases.basis'),
      t('cases.amountOwedYuan'),
      t('cases.status'),
      t('caseLife.filedOn'),
      t('caseLife.dueOn'),
      t('caseLife.closureMode'),
      t('caseLife.closedOn'),
      t('cases.assetCount'),
      t('cases.csv.createdAt'),
    ],
    found.rows.map((c) => [
      c.caseNumber,
      c.court ? (context.locale === 'en' ? c.court.nameEn : c.court.nameZh) : t('overdue.ownCourt'),
      t(`caseType.${c.caseType ?? 'first'}`),
      c.basis,
      fenToYuan(c.amountOwedFen),
      `${t(`caseStatus.${c.status}`)}${c.stopped ? ` ${t('caseLife.listStatus.suspended')}` : ''}`,
      c.filedOn,
      c.limit?.dueOn ?? null,
      c.closureMode ? t(`closureMode.${c.closureMode}`) : null,
      c.closedOn,
      c.assetCount,
      csvDateTime(c.createdAt),
    ]),
  );
  return csvResponse(csv, csvFilename('cases', new Date()));
}
