import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvFilename, csvResponse, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';

/** The dashboard as a spreadsheet: one line per indicator and month, then the period, with numerator and denominator. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = Object.fromEntries(
    [...new URL(request.url).searchParams].filter(
      ([k, v]) => ['court', 'from', 'to', 'window'].includes(k) && v,
    ),
  );
  const d = await load(request, () => context.services.indicators.dashboard(auth.actor, query)).catch(
    plainError,
  );
  const { t } = serverI18n(context.locale);
  const scope = d.view ? d.view.code : t('indicators.platform');
  const round = (v: number | null) => (v === null ? null : Number(v.toFixed(6)));
  const rows = d.indicators.flatMap((i) => [
    ...i.months.map((m) => [
      scope,
      t(`indicators.def.${i.key}.name`),
      i.key,
      m.month,
      m.num,
      m.den,
      round(m.value),
      i.target,
      m.light,
    ]),
    [
      scope,
      t(`indicators.def.${i.key}.name`),
      i.key,
      t('indicators.total'),
      i.total.num,
      i.total.den,
      round(i.total.value),
      i.target,
      i.total.light,
    ],
  ]);
  const csv = toCsv(
    [
      t('indicators.court'),
      t('indicators.indicator'),
      'key',
      t('indicators.month'),
      t('indicators.numerator'),
      t('indicators.denominator'),
      t('indicators.value'),
      'target',
      t('indicators.lightHeader'),
    ],
    rows,
  );
  return csvResponse(csv, csvFilename(`indicators-${d.period.from}-${d.period.to}`, new Date()));
}
