import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvDateTime, csvFilename, csvResponse, fenToYuan, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';
import { DepositQuery, depositRows } from './court.deposits';

/** The court's deposits as a spreadsheet, with the filters of /court/deposits. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const filter = DepositQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const found = await load(request, () =>
    context.services.payments.courtDeposits(auth.actor, { ...filter, before: undefined }, null),
  ).catch(plainError);
  const { t } = serverI18n(context.locale);
  const csv = toCsv(
    [
      t('courtMoney.deposits.listing'),
      t('courtMoney.deposits.bidder'),
      t('courtMoney.deposits.code'),
      t('courtMoney.csv.amountYuan'),
      t('courtMoney.deposits.method'),
      t('courtMoney.deposits.status'),
      t('courtMoney.deposits.reference'),
      t('courtMoney.csv.createdAt'),
      t('courtMoney.csv.heldAt'),
      t('courtMoney.csv.settledAt'),
    ],
    depositRows(found.rows).map((d) => [
      d.title,
      d.bidder,
      d.code,
      fenToYuan(d.amountFen),
      d.method ? t(`courtMoney.method.${d.method}`) : null,
      t(`courtMoney.depositStatus.${d.status}`),
      d.reference,
      csvDateTime(d.createdAt),
      csvDateTime(d.heldAt),
      csvDateTime(d.settledAt),
    ]),
  );
  return csvResponse(csv, csvFilename('deposits', new Date()));
}
