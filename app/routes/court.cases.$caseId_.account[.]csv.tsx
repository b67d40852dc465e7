import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvDateTime, csvFilename, csvResponse, fenToYuan, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';
import { kindKey, statementView } from './court.cases.$caseId_.account';

/** 一案一账号: the case account's statement as a spreadsheet, opening and closing lines included. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const s = statementView(
    await load(request, () => context.services.payments.caseStatement(auth.actor, params.caseId ?? '')).catch(
      plainError,
    ),
  );
  const { t } = serverI18n(context.locale);
  const csv = toCsv(
    [
      t('courtMoney.csv.occurredAt'),
      t('courtMoney.account.kind'),
      t('courtMoney.csv.amountYuan'),
      t('courtMoney.csv.balanceYuan'),
      t('courtMoney.account.description'),
    ],
    [
      [null, t('courtMoney.account.opening'), null, fenToYuan(s.openingFen), null],
      ...s.lines.map((l) => [
        csvDateTime(l.occurredAt),
        t(kindKey(l.kind)),
        fenToYuan(l.amountFen),
        fenToYuan(l.balanceFen),
        l.description,
      ]),
      [null, t('courtMoney.account.closing'), null, fenToYuan(s.closingFen), null],
    ],
  );
  return csvResponse(csv, csvFilename('case-account', new Date()));
}
