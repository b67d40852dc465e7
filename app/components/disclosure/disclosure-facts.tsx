import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney } from '../../utils/format';
import { useLocale } from '../court/display';

import type { DisclosureView as Disclosure } from './view';

/** "Let to a tenant: lease until …, rent … a month" and the note, or "not stated". */
export function OccupancyText({ disclosure: d }: { disclosure: Disclosure }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (d.occupancy === null) return <span className="muted">{t('disclosure.occupancy.unstated')}</span>;
  return (
    <span data-testid="occupancy">
      {t(`disclosure.occupancy.${d.occupancy}`)}
      {d.occupancy === 'tenant' && d.leaseEndsOn && d.monthlyRentFen !== null && (
        <>
          {'：'}
          {t('disclosure.leaseShown', {
            date: formatDate(`${d.leaseEndsOn}T00:00:00+08:00`, locale),
            rent: formatMoney(d.monthlyRentFen),
          })}
        </>
      )}
      {d.occupancyNote && <span className="pre"> {d.occupancyNote}</span>}
    </span>
  );
}

/** The arrears, each with its amount and who pays it; "none known", or "not declared". */
export function ArrearsList({ disclosure: d }: { disclosure: Disclosure }) {
  const { t } = useTranslation();
  if (!d.arrearsDeclared) return <span className="muted">{t('disclosure.arrears.undeclared')}</span>;
  if (d.arrears.length === 0) return <span>{t('disclosure.arrears.none')}</span>;
  const buyerFen = d.arrears.filter((a) => a.payer === 'buyer').reduce((s, a) => s + BigInt(a.amountFen), 0n);
  return (
    <>
      <ul className="plain-list" data-testid="arrears">
        {d.arrears.map((a) => (
          <li key={a.id}>
            {t(`disclosure.arrears.kinds.${a.kind}`)}（{a.description}）：{formatMoney(a.amountFen)} ·{' '}
            {t(`disclosure.arrears.payers.${a.payer}`)}
          </li>
        ))}
      </ul>
      {buyerFen > 0n && <p>{t('disclosure.arrears.buyerTotal', { amount: formatMoney(buyerFen) })}</p>}
    </>
  );
}

/**
 * Basis points as a percentage (560 → 5.6%). `bp / 100` prints its decimals exactly (at most
 * two): no Intl.NumberFormat, whose first use on a phone loads the locale's number data
 * (about 20 ms, the largest single cost of hydrating the auction page, ADR 034).
 */
const percent = (bp: number) => `${bp / 100}%`;

/**
 * Who pays the taxes (art. 30: each side its own, unless the announcement says otherwise) and
 * the estimate at the starting price, said to be an estimate. A list, not a table: it stays
 * inside a 390 px screen.
 */
export function TaxEstimateTable({
  disclosure: d,
  startingPriceFen,
}: {
  disclosure: Disclosure;
  startingPriceFen?: string | bigint;
}) {
  const { t } = useTranslation();
  const e = d.taxEstimate;
  return (
    <div className="stack" data-testid="tax-estimate">
      <h3 id="tax-estimate-title">{t('disclosure.tax.title')}</h3>
      <p>
        {d.taxPayer === 'each_by_law'
          ? t('disclosure.tax.statutoryRule')
          : `${t('disclosure.tax.statutoryRule')} ${t('disclosure.tax.deviation', { rule: t(`taxPayer.${d.taxPayer}`) })}`}
      </p>
      {e.applicable ? (
        <>
          <p>{t('disclosure.tax.estimateAt', { price: formatMoney(startingPriceFen ?? e.basisFen) })}</p>
          <ul className="plain-list tax-lines" aria-labelledby="tax-estimate-title">
            {e.lines.map((l) => (
              <li key={l.tax}>
                <strong>{t(`disclosure.tax.names.${l.tax}`)}</strong>{' '}
                <span className="muted">
                  {l.tax === 'vatSurcharge'
                    ? t('disclosure.tax.ofVat', { rate: percent(l.rateBp) })
                    : percent(l.rateBp)}
                </span>
                {'：'}
                {formatMoney(l.amountFen)} · {t('disclosure.tax.payer')} {t(`disclosure.tax.side.${l.payer}`)}
                {l.payer !== l.statutory && (
                  <span className="muted">
                    {' '}
                    （{t('disclosure.tax.statutory')} {t(`disclosure.tax.side.${l.statutory}`)}）
                  </span>
                )}
              </li>
            ))}
          </ul>
          <dl className="facts">
            <dt>{t('disclosure.tax.buyerTotal')}</dt>
            <dd data-testid="tax-buyer-total">{formatMoney(e.buyerFen)}</dd>
            <dt>{t('disclosure.tax.sellerTotal')}</dt>
            <dd>{formatMoney(e.sellerFen)}</dd>
          </dl>
          <p className="field-help">{t('disclosure.tax.honest')}</p>
        </>
      ) : (
        <p className="muted">{t('disclosure.tax.notApplicable')}</p>
      )}
    </div>
  );
}
