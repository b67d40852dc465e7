import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { PaymentService } from '../../server/payments/service';
import courtCss from '../components/court/court.css?url';
import { useLocale } from '../components/court/display';
import { idParam } from '../components/court/route.server';
import { pageTitle } from '../components/public/meta';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: courtCss }];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, 'courtMoney.account.pageTitle').map((m) => ({
    title: data ? `${data.caseNumber} · ${m.title}` : m.title,
  }));

/** Ledger transaction kinds (`<purpose>.<movement>`), each with its catalog entry courtMoney.kind.<kind>. */
export const LEDGER_KINDS = [
  'deposit.in',
  'deposit.out',
  'deposit.apply',
  'deposit.forfeit',
  'balance.in',
  'balance.out',
] as const;

/** The catalog key of a ledger transaction kind; a kind added later reads "other", not a raw key. */
export function kindKey(kind: string): string {
  const known = (LEDGER_KINDS as readonly string[]).includes(kind);
  return `courtMoney.kind.${known ? kind : 'other'}`;
}

type Statement = Awaited<ReturnType<PaymentService['caseStatement']>>;

/** What the page and the export show of a case account's statement. */
export function statementView({ case: c, statement: s }: Statement) {
  return {
    caseId: c.id,
    caseNumber: c.caseNumber,
    openingFen: s.openingFen,
    closingFen: s.closingFen,
    lines: s.lines.map((l) => ({
      id: l.entryId,
      occurredAt: l.occurredAt,
      kind: l.kind,
      description: l.description,
      amountFen: l.amountFen,
      balanceFen: l.balanceFen,
    })),
  };
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  return load(request, async () =>
    statementView(await context.services.payments.caseStatement(auth.actor, caseId)),
  );
}

/** "+¥1.00" / "-¥1.00": the sign is text, not only the colour of a column. */
const signed = (fen: bigint) => (fen > 0n ? `+${formatMoney(fen)}` : formatMoney(fen));

export default function CaseAccount() {
  const s = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="page" aria-labelledby="account-title">
      <p>
        <Link to={`/court/cases/${s.caseId}`}>{t('courtMoney.account.backToCase')}</Link>
      </p>
      <div className="page-head">
        <h1 id="account-title">{t('courtMoney.account.title', { caseNumber: s.caseNumber })}</h1>
        <p>
          <a href={`/court/cases/${s.caseId}/account.csv`} download>
            {t('courtMoney.account.exportCsv')}
          </a>
        </p>
      </div>
      <p className="muted">{t('courtMoney.account.intro')}</p>
      <dl className="facts">
        <dt>{t('courtMoney.account.opening')}</dt>
        <dd>{formatMoney(s.openingFen)}</dd>
        <dt>{t('courtMoney.account.closing')}</dt>
        <dd data-testid="closing-balance">{formatMoney(s.closingFen)}</dd>
      </dl>
      <h2 id="lines-title">{t('courtMoney.account.linesTitle')}</h2>
      {s.lines.length === 0 ? (
        <p className="muted">{t('courtMoney.account.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="lines-title">
            <thead>
              <tr>
                <th scope="col">{t('courtMoney.account.date')}</th>
                <th scope="col">{t('courtMoney.account.kind')}</th>
                <th scope="col">{t('courtMoney.account.amount')}</th>
                <th scope="col">{t('courtMoney.account.balance')}</th>
                <th scope="col">{t('courtMoney.account.description')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>—</td>
                <th scope="row">{t('courtMoney.account.opening')}</th>
                <td>—</td>
                <td>{formatMoney(s.openingFen)}</td>
                <td />
              </tr>
              {s.lines.map((l) => (
                <tr key={l.id}>
                  <td>{formatDateTime(l.occurredAt, locale)}</td>
                  <th scope="row">{t(kindKey(l.kind))}</th>
                  <td>{signed(l.amountFen)}</td>
                  <td>{formatMoney(l.balanceFen)}</td>
                  <td className="wrap">{l.description ?? ''}</td>
                </tr>
              ))}
              <tr>
                <td>—</td>
                <th scope="row">{t('courtMoney.account.closing')}</th>
                <td>—</td>
                <td>{formatMoney(s.closingFen)}</td>
                <td />
              </tr>
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
