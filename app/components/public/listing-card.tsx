import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { formatDateTime, formatMoney } from '../../utils/format';
import { auctionPath, type CardListing, courtPath } from './shape';
import { StatusBadge } from './status-badge';

/** One search result: what a bidder scans for before opening the announcement. */
export function ListingCard({
  listing: l,
  headingLevel = 3,
}: {
  listing: CardListing;
  headingLevel?: 2 | 3;
}) {
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `listing-${l.id}`;
  // Before bidding (and for a withdrawn sale) the start matters; from then on the end, which
  // extensions may have moved (art. 20) and which is in the past once the auction is over.
  const over = l.publicStatus === 'sold' || l.publicStatus === 'failed';
  const showStart = l.publicStatus !== 'live' && !over;
  return (
    <article className="card listing-card" aria-labelledby={headingId}>
      <div className="listing-card-tags">
        <StatusBadge status={l.publicStatus} />
        <span className="tag">{t(`assetType.${l.assetType}`)}</span>
        <span className="tag">{t(`round.${l.round}`, { defaultValue: t(`listingKind.${l.kind}`) })}</span>
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
          <dt>{t(l.kind === 'fixed_price_sale' ? 'auction.fixedPrice' : 'auction.startingPrice')}</dt>
          <dd className="price">{formatMoney(l.startingPriceFen)}</dd>
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
            <time dateTime={new Date(showStart ? l.startsAt : l.currentEndAt).toISOString()}>
              {formatDateTime(showStart ? l.startsAt : l.currentEndAt, locale)}
            </time>
          </dd>
        </div>
      </dl>
    </article>
  );
}
