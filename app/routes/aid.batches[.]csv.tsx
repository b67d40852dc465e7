import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvDateTime, csvFilename, csvResponse, fenToYuan, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';
import { BatchQuery } from './aid.batches._index';

/** The insurer's payment batches as a spreadsheet, with the filters of /aid/batches (the whole filtered set). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const filter = BatchQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const found = await load(request, () =>
    context.services.aid.payments.pageBatches(auth.actor, { ...filter, before: undefined }, null),
  ).catch(plainError);
  const { t } = serverI18n(context.locale);
  const csv = toCsv(
    [
      t('aid.batches.number'),
      t('aid.batches.status'),
      t('aid.batches.count'),
      t('aid.batches.csv.totalYuan'),
      t('aid.batches.csv.confirmedYuan'),
      t('aid.batches.csv.preparedAt'),
      t('aid.batches.csv.approvedAt'),
      t('aid.batches.csv.sentAt'),
    ],
    found.rows.map((b) => [
      b.number,
      t(`aidBatchStatus.${b.status}`),
      b.count,
      fenToYuan(b.totalFen),
      fenToYuan(b.confirmedFen),
      csvDateTime(b.preparedAt),
      csvDateTime(b.approvedAt),
      csvDateTime(b.sentAt),
    ]),
  );
  return csvResponse(csv, csvFilename('aid-batches', new Date()));
}
