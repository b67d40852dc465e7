import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { useLaterMessages } from '../../i18n/i18n';
import { formatDateTime, formatMoney } from '../../utils/format';
import { TimerValue } from './countdown';
import { auctionPath, type CardListing, courtPath } from './shape';
import { StatusBadge } from './status-badge';
import { remaining } from './time';

// Shown once the page runs (ADR 004): the ticking figure's label needs the server's clock.
const COUNTING = ['homeFeed.startsIn', 'homeFeed.endsIn'];

/** What the socket has said about a live card since the page's data was read. */
export interface CardLive {
  priceFen: string | null;
  currentEndAt: string;
  bidCount: number;
}

/**
 * One result: what a bidder scans for before opening the announcement. The price of a live
 * auction is its current price (the start only until the first bid). With `now` (the server's
 * clock as the page estimates it; null before hydration) the card counts down to the start or
 * the end; without it (the search page) it shows the fixed time only.
 */
export function ListingCard({
  listing: l,
  headingLevel = 3,
  now,
  live,
}: {
  listing: CardListing;
  headingLevel?: 2 | 3;
  now?: number | null;
  live?: CardLive;
}) {
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `listing-${l.id}`;
  // Before bidding (and for a withdrawn sale) the start matters; from then on the end, which
  // extensions may have moved (art. 20) and which is in the past once the auction is over.
  const over = l.publicStatus === 'sold' || l.publicStatus === 'failed';
  const isLive = l.publicStatus === 'live';
  const showStart = !isLive && !over;
  const endAt = live?.currentEndAt ?? l.currentEndAt;
  const priceFen = live ? live.priceFen : l.currentPriceFen;
  const bidCount = live?.bidCount ?? l.bidCount;
  const at = showStart ? l.startsAt : endAt;
  const counting = now !== undefined && (isLive || l.publicStatus === 'upcoming');
  useLaterMessages(counting ? COUNTING : []);
  return (
    <article className="card listing-card" aria-labelledby={headingId} data-testid="listing-card">
      {l.photoId && (
        // Decorative beside the title that names it; the announcement has the described gallery.
        <img
          className="listing-card-photo"
          src={`/files/${l.photoId}`}
          alt=""
          loading="lazy"
          width={320}
          height={180}
        />
      )}
      <div className="listing-card-tags">
        <StatusBadge status={l.publicStatus} />
        <span className="tag">{t(`assetType.${l.assetType}`)}</span>
        <span className="tag">{t(`round.${l.round}`, { defaultValue: t(`listingKind.${l.kind}`) })}</span>
        {l.purchaseRestricted && <span className="badge badge-restricted">{t('auction.restricted')}</span>}
        {l.loanSupported && <span className="badge badge-loan">{t('disclosure.loan.badge')}</span>}
      </div>
      <Heading id={headingId} className="listing-card-title">
        <Link to={auctionPath(l.id)}>{l.title}</Link>
      </Heading>
      <p className="listing-card-place muted">
        {t('auction.placeValue', { province: l.province, city: l.city })} ·{' '}
        <Link to={courtPath(l.court.code)}>{locale === 'en' ? l.court.nameEn : l.court.nameZh}</Link>
      </p>
      <dl className="listing-card-facts">
        <div>
          <dt>
            {isLive
              ? t(priceFen ? 'live.currentPrice' : 'live.startingPrice')
              : t(l.kind === 'fixed_price_sale' ? 'auction.fixedPrice' : 'auction.startingPrice')}
          </dt>
          <dd className="price" data-testid="card-price">
            {formatMoney(isLive && priceFen ? priceFen : l.startingPriceFen)}
          </dd>
        </div>
        <div>
          <dt>{t('auction.appraisal')}</dt>
          <dd>{formatMoney(l.appraisalFen)}</dd>
        </div>
        <div>
          <dt>{t('auction.deposit')}</dt>
          <dd>{formatMoney(l.depositFen)}</dd>
        </div>
        <div>
          <dt>{t(showStart ? 'auction.startsAt' : over ? 'auction.endedAt' : 'auction.endsAt')}</dt>
          <dd>
            <time dateTime={new Date(at).toISOString()}>{formatDateTime(at, locale)}</time>
          </dd>
        </div>
      </dl>
      {counting && (
        <div className="listing-card-countdown">
          {now !== null && (
            <span className="muted">{t(showStart ? 'homeFeed.startsIn' : 'homeFeed.endsIn')}</span>
          )}
          <TimerValue
            left={now === null ? null : remaining(new Date(at).getTime(), now)}
            zeroText={t(showStart ? 'countdown.starting' : 'countdown.ending')}
          />
        </div>
      )}
      <p className="listing-card-counts muted">
        {t('live.bidCount', { count: bidCount })} · {t('live.registered', { count: l.registered })} ·{' '}
        {t('follow.count', { count: l.followers })}
      </p>
    </article>
  );
}
