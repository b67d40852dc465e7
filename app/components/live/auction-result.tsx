import { Link, useRevalidator } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { formatDateTime, formatMoney } from '../../utils/format';
import { Purchase, type PurchaseView } from '../sales/purchase';

export interface Confirmation {
  winnerName: string;
  code: string | null;
  priceFen: string;
  endedAt: string;
}

/** The signed-in viewer's result: his deposit, and for the winner the balance due. */
export interface MyResult {
  code: string | null;
  depositId: string | null;
  depositStatus: string | null;
  depositSettlement: string | null;
  depositAmountFen: string | null;
  balance: { amountFen: string; dueAt: string; status: string } | null;
  /** Paid in full: his sale's steps to the handover (server/sales). */
  sale?: PurchaseView | null;
}

/** While the money settles after the end: look again this often, for at most this long. */
const SETTLING_POLL_MS = 3_000;
const SETTLING_POLL_FOR_MS = 120_000;

/**
 * After the end: the result, and when sold the confirmation of the online bidding result
 * (网络竞价成功确认书, art. 22) with the winner's real name, code and price: the only place an
 * identity appears, and only now. The winner is sent to pay the balance; a bidder who did not
 * win sees his deposit released (art. 23: within 24 hours of the end).
 */
export function AuctionResult({
  outcome,
  confirmation,
  held = false,
  me,
  locale,
  offset = null,
}: {
  outcome: string | null;
  confirmation: Confirmation | null;
  /** The close found the standing at odds with the log: no confirmation, no settlement yet (art. 31). */
  held?: boolean;
  me: MyResult | null;
  locale: Locale;
  /** Server time minus browser time, for the deadlines' countdowns; null before it is measured. */
  offset?: number | null;
}) {
  const { t } = useTranslation();
  const won = confirmation !== null && me?.code != null && me.code === confirmation.code;
  // The money follows the close as its own job: until the balance opens (winner) or the
  // deposit settles (others), look again every few seconds.
  const settling = !held && me !== null && (won ? me.balance === null : me.depositStatus === 'held');
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
      {won && (
        <div className="notice" data-testid="winner-notice">
          <p>
            {/* Paid in full is read from the balance itself: the sale's record may lag behind it. */}
            <strong>{t(me.sale || me.balance?.status === 'paid' ? 'sales.mine.wonPaid' : 'live.won')}</strong>
          </p>
          {!me.balance && (
            <p role="status" data-testid="balance-pending">
              {t('live.balancePending')}
            </p>
          )}
          {me.balance && me.balance.status === 'open' && (
            <p data-testid="balance-due">
              {t('live.balanceDue', {
                amount: formatMoney(me.balance.amountFen),
                at: formatDateTime(me.balance.dueAt, locale),
              })}
            </p>
          )}
          {me.balance?.status === 'open' && (
            <p>
              <Link to="/me/payments" className="button">
                {t('live.payBalance')}
              </Link>
            </p>
          )}
          {me.sale && <Purchase sale={me.sale} locale={locale} offset={offset} level={4} />}
          {me.sale && (
            <p>
              <Link to="/me/purchases">{t('sales.mine.title')}</Link>
            </p>
          )}
        </div>
      )}
      {!won && me?.depositStatus && (
        <p className="notice" data-testid="deposit-result">
          {me.depositStatus === 'released'
            ? t('live.depositReleased', { amount: formatMoney(me.depositAmountFen ?? '0') })
            : me.depositStatus === 'held' && me.depositSettlement === 'release'
              ? t('live.depositReleasing')
              : t('live.depositStatus', { status: t(`pay.depositStatus.${me.depositStatus}`) })}{' '}
          {me.depositId && <Link to={`/me/pay/deposit/${me.depositId}`}>{t('live.depositLink')}</Link>}
        </p>
      )}
    </section>
  );
}
