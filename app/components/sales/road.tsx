import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { RulingLink } from './purchase';
import { SaleSteps, type StepView } from './sale-steps';

/** The viewer's road after the sale, as `sales.roadAfterSale` returns it (server/sales/road.ts). */
export interface RoadView {
  role: 'winner' | 'bidder' | 'settling';
  steps: readonly StepView[];
  settling: boolean;
  balanceId: string | null;
  ruling: { number: string } | null;
  receipts: ReadonlyArray<{ paymentId: string; purpose: 'deposit' | 'balance'; number: string | null }>;
  can: { payBalance: boolean; readRuling: boolean };
}

/**
 * One timeline from the end of bidding: each step with its date, the current one marked
 * (`aria-current="step"`) with its deadline, the rest still to come; then what the viewer may do
 * (from the service's `can`) and his receipts.
 */
/** What a road is drawn from: the service's view, the auction, and the viewer's clock offset. */
export interface RoadProps {
  road: RoadView;
  listingId: string;
  locale: Locale;
  offset: number | null;
}

export function Road({ road, listingId, locale, offset }: RoadProps) {
  const { t } = useTranslation();
  const id = `road-${listingId}`;
  return (
    <div className="purchase road" data-testid="road">
      <h3 id={id}>{t(road.role === 'winner' ? 'sales.road.title' : 'sales.road.bidderTitle')}</h3>
      <SaleSteps steps={road.steps} locale={locale} offset={offset} labelledBy={id} />
      {road.can.payBalance && road.balanceId && (
        <p>
          <Link to={`/me/pay/balance/${road.balanceId}`} className="button">
            {t('live.payBalance')}
          </Link>
        </p>
      )}
      {road.can.readRuling && <RulingLink listingId={listingId} />}
      {road.receipts.length > 0 && (
        <>
          <h4 id={`${id}-receipts`}>{t('sales.road.receipts')}</h4>
          <ul className="road-receipts" aria-labelledby={`${id}-receipts`}>
            {road.receipts.map((r) => (
              <li key={r.paymentId}>
                <Link to={`/me/receipts/${r.paymentId}`}>
                  {t('sales.road.receipt', {
                    purpose: t(`myPayments.purpose.${r.purpose}`),
                    number: r.number ?? '',
                  })}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
