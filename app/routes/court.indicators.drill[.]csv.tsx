import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvFilename, csvResponse, fenToYuan, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';

/** The rows behind one figure as a spreadsheet, with the drill-down page's query (all of them, to a cap). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v));
  const d = await load(request, () =>
    context.services.indicators.drillDown(auth.actor, query, { all: true }),
  ).catch(plainError);
  const { t } = serverI18n(context.locale);
  const cell = (c: string, v: string | number | boolean | null) => {
    if (v === null) return null;
    if (typeof v === 'boolean') return v ? t('indicators.yes') : t('indicators.no');
    if (c === 'amountOwedFen' || c === 'recoveredFen') return fenToYuan(String(v));
    if (c === 'closureMode') return t(`closureMode.${v}`);
    return v;
  };
  const csv = toCsv(
    [
      t('indicators.caseNumber'),
      t('indicators.court'),
      ...d.columns.map((c) => t(`indicators.col.${c}`)),
      t('indicators.col.inNum'),
    ],
    d.rows.map((r) => [
      r.caseNumber,
      r.court?.code ?? null,
      ...d.columns.map((c) => cell(c, r.cells[c] ?? null)),
      cell('inNum', r.inNum),
    ]),
  );
  return csvResponse(csv, csvFilename(`indicator-${d.query.indicator}-${d.query.part}`, new Date()));
}
