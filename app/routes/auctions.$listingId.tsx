import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRevalidator } from '@remix-run/react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Locale } from '../../server/http/cookies';
import {
  Amendments,
  AssetDetails,
  Documents,
  Photos,
  PriceFacts,
  PriorityPurchasers,
  Prose,
  Rounds,
  Section,
  TimeFacts,
  Timeline,
} from '../components/public/auction-sections';
import { Countdown } from '../components/public/countdown';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { courtPath, publicAuctionOf } from '../components/public/shape';
import { StatusBadge } from '../components/public/status-badge';
import { type Connection, useAuctionSocket } from '../components/public/use-auction-socket';
import { formatDateTime } from '../utils/format';
import { load } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, data.listing.title, { literal: true }) : pageTitle(matches, 'errors.title');

const ParamsSchema = z.object({ listingId: z.uuid() });

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const listing = await load(request, () => context.services.listings.publicListing(parsed.data.listingId));
  const mine = await context.services.registrations.myRegistration(
    context.auth?.actor ?? null,
    parsed.data.listingId,
  );
  return {
    ...publicAuctionOf(listing),
    // The viewer's own registration only: his code and deposit status, never anyone else's.
    mine: mine && {
      code: mine.registration.code,
      depositId: mine.deposit.id,
      depositStatus: mine.deposit.status,
    },
  };
}

/** Statuses that can still change: the page listens for them. */
const OPEN = new Set(['announced', 'live', 'suspended']);

export default function AuctionPage() {
  const a = useLoaderData<typeof loader>();
  const { listing: l, court } = a;
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { connection, offset } = useAuctionSocket(l.id, a.serverTime, OPEN.has(l.status));
  const revalidator = useRevalidator();
  // At zero the server's job moves the status; ask once in case its event is missed.
  const onElapsed = useCallback(() => revalidator.revalidate(), [revalidator]);
  const courtName = locale === 'en' ? court.nameEn : court.nameZh;
  return (
    <article className="page auction" aria-labelledby="auction-title">
      <header className="auction-header">
        <p className="eyebrow">
          <Link to={courtPath(court.code)}>{courtName}</Link>
        </p>
        <h1 id="auction-title">{l.title}</h1>
        <div className="listing-card-tags">
          <StatusBadge status={l.publicStatus} />
          <span className="tag">{t(`assetType.${l.assetType}`)}</span>
          <span className="tag">{t(`round.${l.round}`, { defaultValue: t(`listingKind.${l.kind}`) })}</span>
          {l.purchaseRestricted && (
            <a className="badge badge-restricted" href="#notices">
              {t('auction.restricted')}
            </a>
          )}
        </div>
        {connection && <ConnectionIndicator connection={connection} />}
      </header>

      {l.status === 'suspended' && (
        <div className="notice notice-warning" role="status">
          <p>
            <strong>{t('auction.suspendedNotice')}</strong>
          </p>
          {l.publicReason && <p>{t('auction.reason', { reason: l.publicReason })}</p>}
        </div>
      )}
      {l.status === 'withdrawn' && (
        <div className="notice notice-warning" role="status">
          <p>
            <strong>{t('auction.withdrawnNotice')}</strong>
          </p>
          {l.publicReason && <p>{t('auction.reason', { reason: l.publicReason })}</p>}
        </div>
      )}

      <div className="auction-layout">
        <aside className="auction-aside" aria-label={t('auction.keyFacts')}>
          {l.status === 'announced' && (
            <Countdown
              target={l.startsAt}
              kind="start"
              offset={offset}
              locale={locale}
              onElapsed={onElapsed}
            />
          )}
          {l.status === 'live' && (
            <Countdown
              target={l.currentEndAt}
              kind="end"
              offset={offset}
              locale={locale}
              onElapsed={onElapsed}
            />
          )}
          {l.status === 'ended' && l.endedAt && (
            <p className="countdown">{t('auction.endedOn', { at: formatDateTime(l.endedAt, locale) })}</p>
          )}
          <PriceFacts listing={l} asset={a.asset} locale={locale} />
          {a.mine ? (
            <p className="register-box">
              {a.mine.code && <strong>{t('auctionMoney.yourCode', { code: a.mine.code })}</strong>}{' '}
              <Link to={`/me/pay/deposit/${a.mine.depositId}`}>{t('auctionMoney.registered')}</Link>
            </p>
          ) : (
            (l.status === 'announced' || l.status === 'live') && (
              <p className="register-box">
                <Link to={`/auctions/${l.id}/register`} className="button">
                  {t('auctionMoney.register')}
                </Link>
              </p>
            )
          )}
        </aside>

        <div className="auction-body">
          <Section id="times" title={t('auction.timesTitle')}>
            <TimeFacts listing={l} locale={locale} />
          </Section>
          <Section id="notices" title={t('auction.noticesTitle')}>
            {l.purchaseRestricted && <p className="notice">{t('auction.restrictedHelp')}</p>}
            <Prose>{l.specialNotices}</Prose>
          </Section>
          <Section id="taxes" title={t('auction.taxesTitle')}>
            <dl className="facts">
              <dt>{t('auction.taxPayer')}</dt>
              <dd>{t(`taxPayer.${l.taxPayer}`)}</dd>
            </dl>
            <Prose>{l.taxes}</Prose>
          </Section>
          <Section id="asset" title={t('auction.assetTitle')}>
            <AssetDetails asset={a.asset} listing={l} />
          </Section>
          <Section id="photos" title={t('auction.photosTitle')}>
            <Photos photos={a.photos} title={l.title} />
          </Section>
          <Section id="documents" title={t('auction.documentsTitle')}>
            <Documents documents={a.documents} />
          </Section>
          <Section id="viewing" title={t('auction.viewingTitle')}>
            <Prose>{l.viewing}</Prose>
          </Section>
          <Section id="contact" title={t('auction.contactTitle')}>
            <dl className="facts">
              <dt>{t('auction.court')}</dt>
              <dd>
                <Link to={courtPath(court.code)}>{courtName}</Link>
              </dd>
              <dt>{t('auction.contact')}</dt>
              <dd className="prose">{l.contact}</dd>
              <dt>{t('auction.supervisionLine')}</dt>
              <dd className="prose">{l.supervisionLine}</dd>
            </dl>
          </Section>
          <Section id="priority" title={t('auction.priorityTitle')}>
            <PriorityPurchasers purchasers={a.purchasers} />
          </Section>
          <Section id="amendments" title={t('auction.amendmentsTitle')}>
            <Amendments amendments={a.amendments} locale={locale} />
          </Section>
          <Section id="timeline" title={t('auction.timelineTitle')}>
            <Timeline timeline={a.timeline} locale={locale} />
          </Section>
          <Section id="rounds" title={t('auction.roundsTitle')}>
            <Rounds chain={a.chain} locale={locale} />
          </Section>
        </div>
      </div>
    </article>
  );
}

function ConnectionIndicator({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  return (
    <p className={`live-indicator live-${connection}`} role="status">
      <span className="live-dot" aria-hidden="true" />
      {t(`auction.connection.${connection}`)}
    </p>
  );
}
