import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { formatDate, formatDateTime, formatMoney } from '../../utils/format';
import { auctionPath, type PublicAuction } from './shape';
import { StatusBadge } from './status-badge';

type Props<K extends keyof PublicAuction> = Pick<PublicAuction, K> & { locale: Locale };

/** A titled part of the announcement. */
export function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="auction-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** Court-written text keeps its line breaks. */
export const Prose = ({ children }: { children: string }) => <p className="prose">{children}</p>;

export function PriceFacts({ listing: l, asset, locale }: Props<'listing' | 'asset'>) {
  const { t } = useTranslation();
  return (
    <dl className="facts">
      <dt>{t(l.kind === 'fixed_price_sale' ? 'auction.fixedPrice' : 'auction.startingPrice')}</dt>
      <dd className="price">{formatMoney(l.startingPriceFen)}</dd>
      <dt>{t('auction.appraisal')}</dt>
      <dd>
        {formatMoney(l.appraisalFen)}{' '}
        <span className="muted">
          {t('auction.appraisalBasisValue', {
            basis: t(`appraisalBasis.${asset.appraisalBasis}`),
            date: formatDate(`${asset.appraisalDate}T12:00:00+08:00`, locale),
          })}
        </span>
      </dd>
      <dt>{t('auction.deposit')}</dt>
      <dd>{formatMoney(l.depositFen)}</dd>
      <dt>{t('auction.increment')}</dt>
      <dd>{formatMoney(l.incrementFen)}</dd>
      <dt>{t('auction.balanceDays')}</dt>
      <dd>{t('auction.balanceDaysValue', { count: l.balanceDays })}</dd>
    </dl>
  );
}

export function TimeFacts({ listing: l, locale }: Props<'listing'>) {
  const { t } = useTranslation();
  const at = (d: Date | string) => (
    <time dateTime={new Date(d).toISOString()}>{formatDateTime(d, locale)}</time>
  );
  const extended = new Date(l.currentEndAt).getTime() !== new Date(l.endsAt).getTime();
  return (
    <dl className="facts">
      <dt>{t('auction.publishedAt')}</dt>
      <dd>{at(l.publishedAt)}</dd>
      <dt>{t('auction.startsAt')}</dt>
      <dd>{at(l.startsAt)}</dd>
      <dt>{t('auction.scheduledEnd')}</dt>
      <dd>{at(l.endsAt)}</dd>
      {extended && (
        <>
          <dt>{t('auction.currentEndAt')}</dt>
          <dd>{at(l.currentEndAt)}</dd>
        </>
      )}
      {l.endedAt && (
        <>
          <dt>{t('auction.endedAt')}</dt>
          <dd>{at(l.endedAt)}</dd>
        </>
      )}
    </dl>
  );
}

export function AssetDetails({ asset, listing }: Pick<PublicAuction, 'asset' | 'listing'>) {
  const { t } = useTranslation();
  return (
    <>
      <dl className="facts">
        <dt>{t('auction.assetType')}</dt>
        <dd>{t(`assetType.${listing.assetType}`)}</dd>
        <dt>{t('auction.place')}</dt>
        <dd>
          {t('auction.placeValue', { province: listing.province, city: listing.city })}
          {asset.district ? ` ${asset.district}` : ''}
        </dd>
        <dt>{t('auction.address')}</dt>
        <dd>{asset.address}</dd>
      </dl>
      <h3>{t('auction.description')}</h3>
      <Prose>{asset.description}</Prose>
      <h3>{t('auction.defects')}</h3>
      {asset.knownDefects ? <Prose>{asset.knownDefects}</Prose> : <p>{t('auction.noDefects')}</p>}
      <h3>{t('auction.encumbrances')}</h3>
      {asset.encumbrances.length === 0 ? (
        <p>{t('auction.noEncumbrances')}</p>
      ) : (
        <ul className="plain-list">
          {asset.encumbrances.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: encumbrances have no id and never reorder
            <li key={i}>
              <span className="tag">{t(`encumbrance.${e.kind}`)}</span> {e.description}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function Documents({ documents }: Pick<PublicAuction, 'documents'>) {
  const { t } = useTranslation();
  if (documents.length === 0) return <p>{t('auction.noDocuments')}</p>;
  return (
    <ul className="plain-list">
      {documents.map((d) => (
        <li key={d.id}>
          <span className="tag">{t(`fileKind.${d.kind}`)}</span> <a href={`/files/${d.id}`}>{d.filename}</a>{' '}
          <span className="muted">
            {t('auction.fileSize', { size: Math.max(1, Math.round(d.size / 1024)) })}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function PriorityPurchasers({ purchasers }: Pick<PublicAuction, 'purchasers'>) {
  const { t } = useTranslation();
  if (purchasers.length === 0) return <p>{t('auction.noPriority')}</p>;
  return (
    <>
      <p>{t('auction.priorityIntro')}</p>
      <ol className="plain-list">
        {purchasers.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: names are withheld; ranks may repeat
          <li key={i}>
            {t('auction.priorityRank', { rank: p.rank })} · {t(`priorityRight.${p.rightKind}`)}
          </li>
        ))}
      </ol>
    </>
  );
}

/** Every change of status, with its time and the court's public reason (art. 28). */
export function Timeline({ timeline, locale }: Props<'timeline'>) {
  const { t } = useTranslation();
  return (
    <ol className="timeline">
      {timeline.map((x) => (
        <li key={x.id}>
          <time dateTime={new Date(x.at).toISOString()}>{formatDateTime(x.at, locale)}</time>
          <span className="timeline-event">
            {t(`auction.event.${x.from === 'suspended' && x.to !== 'withdrawn' ? 'resumed' : x.to}`)}
          </span>
          {x.reason && <span className="timeline-reason">{t('auction.reason', { reason: x.reason })}</span>}
        </li>
      ))}
    </ol>
  );
}

export function Amendments({ amendments, locale }: Props<'amendments'>) {
  const { t } = useTranslation();
  if (amendments.length === 0) return <p>{t('auction.noAmendments')}</p>;
  return (
    <ol className="plain-list amendments">
      {amendments.map((a) => (
        <li key={a.id} className="card">
          <p className="muted">
            <time dateTime={new Date(a.publishedAt).toISOString()}>
              {formatDateTime(a.publishedAt, locale)}
            </time>
          </p>
          <Prose>{a.text}</Prose>
          {a.changes.length > 0 && (
            <dl className="amendment-changes">
              {a.changes.map((c) => (
                <div key={c.field}>
                  <dt>{t(`auction.field.${c.field}`, { defaultValue: c.field })}</dt>
                  <dd>
                    <span className="visually-hidden">{t('auction.changedFrom')}</span>
                    <del className="prose">{c.from}</del>
                  </dd>
                  <dd>
                    <span className="visually-hidden">{t('auction.changedTo')}</span>
                    <ins className="prose">{c.to}</ins>
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The rounds of sale of the same asset: first auction, re-auction, fixed-price sale. */
export function Rounds({ chain, locale }: Props<'chain'>) {
  const { t } = useTranslation();
  return (
    <ol className="plain-list rounds">
      {chain.map((c) => {
        const label = t(`round.${c.round}`, { defaultValue: t(`listingKind.${c.kind}`) });
        return (
          <li key={c.id}>
            {c.current ? (
              <strong aria-current="page">
                {label} {t('auction.thisRound')}
              </strong>
            ) : (
              <Link to={auctionPath(c.id)}>{label}</Link>
            )}{' '}
            <StatusBadge status={c.publicStatus} />{' '}
            <span className="muted">
              {t('auction.roundSummary', {
                price: formatMoney(c.startingPriceFen),
                at: formatDateTime(c.startsAt, locale),
              })}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
