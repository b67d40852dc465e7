import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { formatDateTime, formatMoney } from '../../utils/format';
import { TableFrame } from '../table-frame';
import type { LiveBid } from './live-state';

/**
 * The bid history (art. 20: codes and bids shown in real time), newest first: bidder code,
 * amount, the server's time of the bid, and whether the proxy placed it. Codes only (art. 18).
 * Not a live region: the price board announces the new leader once.
 */
export function BidHistory({
  bids,
  total,
  myCode,
  locale,
  practice = false,
}: {
  bids: readonly LiveBid[];
  total: number;
  myCode: string | null;
  locale: Locale;
  /** A practice session's bids (ADR 033): each row says so. */
  practice?: boolean;
}) {
  const { t } = useTranslation();
  if (bids.length === 0) return <p className="muted">{t('live.history.empty')}</p>;
  return (
    <>
      <TableFrame label={t('live.history.caption')}>
        <table className="bid-history" data-testid="bid-history">
          <caption className="visually-hidden">
            {t(practice ? 'practice.historyCaption' : 'live.history.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('live.history.code')}</th>
              <th scope="col">{t('live.history.amount')}</th>
              <th scope="col">{t('live.history.at')}</th>
            </tr>
          </thead>
          <tbody>
            {bids.map((b, i) => (
              <tr key={b.seq} className={i === 0 ? 'bid-leading' : undefined}>
                <td>
                  <strong>{b.code}</strong>
                  {practice && <span className="tag tag-practice">{t('practice.tag')}</span>}
                  {b.code === myCode && <span className="tag">{t('live.history.you')}</span>}
                  {i === 0 && <span className="tag tag-leading">{t('live.history.leading')}</span>}
                  {b.source === 'proxy' && <span className="tag">{t('live.history.proxy')}</span>}
                </td>
                <td className="money">{formatMoney(b.amountFen)}</td>
                <td>
                  <time dateTime={new Date(b.at).toISOString()}>{formatDateTime(b.at, locale, true)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      {total > bids.length && (
        <p className="muted">{t('live.history.more', { shown: bids.length, total })}</p>
      )}
    </>
  );
}
