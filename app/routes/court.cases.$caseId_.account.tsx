import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { PaymentService } from '../../server/payments/service';
import { useLocale } from '../components/court/display';
import { idParam } from '../components/court/route.server';
import { pageTitle } from '../components/public/meta';
import { DataTable } from '../components/staff/data-table';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
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

interface StatementRow {
  id: string;
  at: Date | null;
  label: string;
  amountFen: bigint | null;
  balanceFen: bigint;
  description: string | null;
}

export default function CaseAccount() {
  const s = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  // The statement's lines between its opening and closing balances, each a row of one table.
  const edge = (id: string, label: string, balanceFen: bigint): StatementRow => ({
    id,
    at: null,
    label,
    amountFen: null,
    balanceFen,
    description: null,
  });
  const rows: StatementRow[] = [
    edge('opening', t('courtMoney.account.opening'), s.openingFen),
    ...s.lines.map((l) => ({
      id: String(l.id),
      at: l.occurredAt,
      label: t(kindKey(l.kind)),
      amountFen: l.amountFen,
      balanceFen: l.balanceFen,
      description: l.description,
    })),
    edge('closing', t('courtMoney.account.closing'), s.closingFen),
  ];
  return (
    <section className="page" aria-labelledby="account-title">
      <PageHead
        id="account-title"
        title={t('courtMoney.account.title', { caseNumber: s.caseNumber })}
        back={{ to: `/court/cases/${s.caseId}`, label: t('courtMoney.account.backToCase') }}
      >
        <a href={`/court/cases/${s.caseId}/account.csv`} download>
          {t('courtMoney.account.exportCsv')}
        </a>
      </PageHead>
      <p className="muted">{t('courtMoney.account.intro')}</p>
      <dl className="facts">
        <dt>{t('courtMoney.account.opening')}</dt>
        <dd>{formatMoney(s.openingFen)}</dd>
        <dt>{t('courtMoney.account.closing')}</dt>
        <dd data-testid="closing-balance">{formatMoney(s.closingFen)}</dd>
      </dl>
      <h2 id="lines-title">{t('courtMoney.account.linesTitle')}</h2>
      <DataTable
        labelledBy="lines-title"
        rows={s.lines.length === 0 ? [] : rows}
        rowKey={(r) => r.id}
        empty={{ message: t('courtMoney.account.empty'), quiet: true }}
        columns={[
          { header: t('courtMoney.account.date'), cell: (r) => (r.at ? formatDateTime(r.at, locale) : '—') },
          { header: t('courtMoney.account.kind'), cell: (r) => r.label, rowHeader: true },
          {
            header: t('courtMoney.account.amount'),
            cell: (r) => (r.amountFen === null ? '—' : signed(r.amountFen)),
          },
          { header: t('courtMoney.account.balance'), cell: (r) => formatMoney(r.balanceFen) },
          {
            header: t('courtMoney.account.description'),
            cell: (r) => r.description ?? '',
            className: 'wrap',
          },
        ]}
      />
    </section>
  );
}
