import { Link, useRevalidator } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { formatDateTime, formatMoney } from '../../utils/format';
import { Road, type RoadProps, type RoadView } from '../sales/road';

export interface Confirmation {
  winnerName: string;
  code: string | null;
  priceFen: string;
  endedAt: string;
}

/** While the money settles after the end: look again this often, for at most this long. */
const SETTLING_POLL_MS = 3_000;
const SETTLING_POLL_FOR_MS = 120_000;

/**
 * After the end: the result, and when sold the confirmation of the online bidding result
 * (网络竞价成功确认书, art. 22) with the winner's real name, code and price: the only place an
 * identity appears, and only now. Below it the viewer's own road after the sale, as the service
 * decided it (`sales.roadAfterSale`): the winner's balance, ruling, handover and title; another
 * bidder's deposit coming back (art. 23: within 24 hours of the end).
 */
export function AuctionResult({
  outcome,
  confirmation,
  held = false,
  road,
  listingId,
  locale,
  offset = null,
}: {
  outcome: string | null;
  confirmation: Confirmation | null;
  /** The close found the standing at odds with the log: no confirmation, no settlement yet (art. 31). */
  held?: boolean;
  /** The viewer's own road; null for anyone who held no deposit here. */
  road: RoadView | null;
  listingId: string;
  locale: Locale;
  /** Server time minus browser time, for the deadlines' countdowns; null before it is measured. */
  offset?: number | null;
}) {
  const { t } = useTranslation();
  // The money follows the close as its own job: until the balance opens (winner) or the
  // deposit settles (others), look again every few seconds.
  const settling = !held && road !== null && road.settling;
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (!settling) return;
    const until = Date.now() + SETTLING_POLL_FOR_MS;
    const timer = setInterval(() => {
      if (Date.now() > until) clearInterval(timer);
      else if (latest.current.state === 'idle') latest.current.revalidate();
    }, SETTLING_POLL_MS);
    return () => clearInterval(timer);
  }, [settling]);
  return (
    <section className="auction-result" aria-labelledby="result-title" data-testid="auction-result">
      <h2 id="result-title">
        {t(`live.result.${outcome === 'sold' || outcome === 'defaulted' ? outcome : 'failed'}`)}
      </h2>
      {held && (
        <p className="notice notice-warning" role="status" data-testid="result-held">
          {t('record.held')}
        </p>
      )}
      {confirmation && (
        <div className="confirmation" data-testid="confirmation">
          <h3>{t('live.confirmation.title')}</h3>
          <dl className="facts">
            <dt>{t('live.confirmation.winner')}</dt>
            <dd data-testid="confirmation-winner">{confirmation.winnerName}</dd>
            <dt>{t('live.confirmation.code')}</dt>
            <dd data-testid="confirmation-code">{confirmation.code}</dd>
            <dt>{t('live.confirmation.price')}</dt>
            <dd className="money" data-testid="confirmation-price">
              {formatMoney(confirmation.priceFen)}
            </dd>
            <dt>{t('live.confirmation.endedAt')}</dt>
            <dd>
              <time dateTime={confirmation.endedAt}>
                {formatDateTime(confirmation.endedAt, locale, true)}
              </time>
            </dd>
          </dl>
          <p className="field-help">{t('live.confirmation.basis')}</p>
        </div>
      )}
      {road?.role === 'winner' && (
        <WinnerRoad road={road} listingId={listingId} locale={locale} offset={offset} />
      )}
      {road?.role === 'bidder' && (
        <div className="notice" data-testid="deposit-result">
          <p>
            {road.steps.some((x) => x.key === 'depositRelease' && x.state === 'done')
              ? t('live.depositReleased', { amount: formatMoney(released(road)) })
              : t('live.depositReleasing')}
          </p>
          <Road road={road} listingId={listingId} locale={locale} offset={offset} />
        </div>
      )}
    </section>
  );
}

/** The deposit the bidder's road returns (the service's amount). */
const released = (road: RoadView) => road.steps.find((x) => x.key === 'depositRelease')?.amountFen ?? '0';

/** The winner: told where he stands (to pay, paid, defaulted), then his road. */
function WinnerRoad({ road, listingId, locale, offset }: RoadProps) {
  const { t } = useTranslation();
  const balance = road.steps.find((x) => x.key === 'balance');
  const headline =
    balance?.state === 'done'
      ? 'sales.mine.wonPaid'
      : balance?.state === 'blocked'
        ? 'sales.road.defaultedHeadline'
        : 'live.won';
  return (
    <div className="notice" data-testid="winner-notice">
      <p>
        <strong>{t(headline)}</strong>
      </p>
      {road.settling && (
        <p role="status" data-testid="balance-pending">
          {t('live.balancePending')}
        </p>
      )}
      {road.can.payBalance && balance?.amountFen && balance.dueAt && (
        <p data-testid="balance-due">
          {t('live.balanceDue', {
            amount: formatMoney(balance.amountFen),
            at: formatDateTime(balance.dueAt, locale),
          })}
        </p>
      )}
      <Road road={road} listingId={listingId} locale={locale} offset={offset} />
      {road.ruling && (
        <p>
          <Link to="/me/purchases">{t('sales.road.purchasesLink')}</Link>
        </p>
      )}
    </div>
  );
}
