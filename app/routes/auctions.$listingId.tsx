import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData, useRevalidator } from '@remix-run/react';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { YuanSchema } from '../../server/cases/schemas';
import { isDomainError } from '../../server/errors';
import type { Locale } from '../../server/http/cookies';
import disclosureStyles from '../components/disclosure/disclosure.css?url';
import { ArrearsList, OccupancyText, TaxEstimateTable } from '../components/disclosure/disclosure-facts';
import { ViewingSlots } from '../components/disclosure/viewing-slots';
import { newClientKey } from '../components/live/amounts';
import { AuctionResult } from '../components/live/auction-result';
import { BidHistory } from '../components/live/bid-history';
import { CONNECTION_MESSAGES, ConnectionIndicator } from '../components/live/connection-indicator';
import liveStyles from '../components/live/live.css?url';
import { BarClock, LiveClock, useServerNow } from '../components/live/live-clock';
import { Bidding, PriceBoard } from '../components/live/live-panel';
import { stateOfSnapshot } from '../components/live/live-state';
import { answerOf, isBidReason } from '../components/live/reasons';
import {
  Amendments,
  AssetDetails,
  Documents,
  PriceFacts,
  PriorityPurchasers,
  Prose,
  Rounds,
  Section,
  TimeFacts,
  Timeline,
} from '../components/public/auction-sections';
import { FollowBox } from '../components/public/follow-box';
import { pageTitle } from '../components/public/meta';
import { PhotoGallery } from '../components/public/photo-gallery';
import publicStyles from '../components/public/public.css?url';
import { courtPath, publicAuctionOf } from '../components/public/shape';
import { StatusBadge } from '../components/public/status-badge';
import { useAuctionSocket } from '../components/public/use-auction-socket';
import salesStyles from '../components/sales/sales.css?url';
import { useLaterMessages } from '../i18n/i18n';
import { formatDateTime } from '../utils/format';
import { act, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: publicStyles },
  { rel: 'stylesheet', href: liveStyles },
  { rel: 'stylesheet', href: salesStyles },
  { rel: 'stylesheet', href: disclosureStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, data.listing.title, { literal: true }) : pageTitle(matches, 'errors.title');

const ParamsSchema = z.object({ listingId: z.uuid() });
/** Bids kept on the page: the history shows these, newest first. */
const HISTORY = 100;

/** The answers of a viewing booking (auctions.$listingId_.viewings.tsx) the page may say. */
const VIEWING_ANSWERS = new Set([
  'booked',
  'cancelled',
  'unchanged',
  'disclosure.errors.slotFull',
  'disclosure.errors.alreadyBooked',
  'disclosure.errors.slotStarted',
  'disclosure.errors.viewingClosed',
]);
const viewingAnswerOf = (params: URLSearchParams) => {
  const v = params.get('viewing');
  return v && VIEWING_ANSWERS.has(v) ? v : null;
};

const keyOf = (params: URLSearchParams) => {
  const key = params.get('key');
  return params.has('confirm') && key && /^[\w-]{8,64}$/.test(key) ? key : newClientKey();
};

const FOLLOW_ANSWERS = ['on', 'off', 'refused'] as const;
const followAnswerOf = (params: URLSearchParams) =>
  FOLLOW_ANSWERS.find((a) => a === params.get('follow')) ?? null;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const id = parsed.data.listingId;
  const actor = context.auth?.actor ?? null;
  const { bidding, listings, registrations, sales, profile } = context.services;
  return load(request, async () => {
    const listing = await listings.publicListing(id);
    const [snapshot, standing, mine, viewings, follow] = await Promise.all([
      bidding.snapshot(id, HISTORY),
      bidding.myStanding(actor, id),
      registrations.myRegistration(actor, id),
      listings.publicViewings(actor, id),
      // 关注 (ADR 027): the count, whether he follows, and what he may do, from the service.
      registrations.followBox(actor, id),
    ]);
    const c = listing.confirmation;
    // After the end, the viewer's own road (issue 21): the winner's balance, ruling, handover and
    // title; another bidder's deposit coming back. Decided by the service, rendered here.
    const road = await sales.roadAfterSale(actor, id);
    return {
      ...publicAuctionOf(listing),
      live: snapshot,
      /** Art. 20's five minutes in the active rules profile: the extension and the ending-soon window. */
      extensionMs: profile.durations.extension,
      // Art. 22: identities appear only here, only after a sale.
      confirmation: c && {
        winnerName: c.winnerName,
        code: c.code,
        priceFen: c.priceFen.toString(),
        endedAt: new Date(c.endedAt).toISOString(),
      },
      // The viewer's own registration only: his code, deposit and proxy, never anyone else's.
      me: {
        signedIn: actor !== null,
        registered: mine !== null,
        code: mine?.registration.code ?? null,
        depositId: mine?.deposit.id ?? null,
        depositStatus: mine?.deposit.status ?? null,
        depositSettlement: mine?.deposit.settlement ?? null,
        depositAmountFen: mine?.deposit.amountFen.toString() ?? null,
        depositHeld: standing?.depositHeld ?? false,
        priorityRank: standing?.priorityRank ?? null,
        proxyMaxFen: standing?.proxyMaxFen?.toString() ?? null,
      },
      road,
      // For the form posts: a double submit of this page is one bid (the engine's idempotency key).
      // The key a bid awaiting confirmation (?confirm=) was posted with, or a new one.
      follow,
      followAnswer: followAnswerOf(new URL(request.url).searchParams),
      clientKey: keyOf(new URL(request.url).searchParams),
      answer: answerOf(new URL(request.url).searchParams),
      /** 看样: the slots, seats left, the viewer's booking and what he may do (ADR 029). */
      viewings,
      viewingAnswer: viewingAnswerOf(new URL(request.url).searchParams),
    };
  });
}

/**
 * Bids, proxy maximums and proxy cancellations without JavaScript (or without a socket): the
 * same engine as the socket, then back to the page with the answer in the query string.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const id = parsed.data.listingId;
  const back = (answer: Record<string, string>) => redirect(`/auctions/${id}?${new URLSearchParams(answer)}`);
  const intent = form.get('intent');

  if (intent === 'bid') {
    // A quick-bid button carries fen; the free field is yuan.
    const button = form.get('amountFen');
    const typed = button === null ? YuanSchema.safeParse(form.get('amount') ?? '') : null;
    if (typed && !typed.success)
      return data({ fieldErrors: { amount: ['validation.amount'] } }, { status: 400 });
    const amountFen = typed?.success ? typed.data.toString() : String(button);
    // A confirmation before any bid (the amount and its capital words): a post without it comes
    // back to the page with the amount to confirm; the confirmed post carries `confirmed=1`.
    if (form.get('confirmed') !== '1') {
      if (!/^\d{1,15}$/.test(amountFen) || BigInt(amountFen) <= 0n)
        return data({ fieldErrors: { amount: ['validation.amount'] } }, { status: 400 });
      // The page's key goes with it: the confirmed bid is the one this form meant, so a double
      // submit of either form is still one bid (the engine answers a repeated key with the first answer).
      const key = String(form.get('clientKey') ?? '');
      return back({ confirm: amountFen, ...(/^[\w-]{8,64}$/.test(key) ? { key } : {}) });
    }
    return act(request, async () => {
      const answer = await context.services.bidding.placeBid(
        auth.actor,
        id,
        { amountFen, clientKey: String(form.get('clientKey') ?? '') },
        context.arrival ?? undefined,
      );
      return back(
        answer.accepted
          ? { bid: 'accepted', amount: answer.amountFen, seq: String(answer.seq) }
          : { bid: answer.reason },
      );
    });
  }

  // A proxy change refused for a bidding reason answers on the page like a refused bid.
  const proxyAct = (run: () => Promise<Record<string, string>>) =>
    act(request, async () => {
      try {
        return back(await run());
      } catch (error) {
        if (!isDomainError(error)) throw error;
        const reason = error.details.fieldErrors?.maxFen?.[0] ?? error.messageKey;
        if (isBidReason(reason)) return back({ proxy: reason });
        throw error;
      }
    });
  if (intent === 'proxy') {
    const max = YuanSchema.safeParse(form.get('max') ?? '');
    if (!max.success) return data({ fieldErrors: { max: ['validation.amount'] } }, { status: 400 });
    return proxyAct(async () => {
      const r = await context.services.bidding.setProxy(
        auth.actor,
        id,
        { maxFen: max.data.toString() },
        context.arrival ?? undefined,
      );
      return { proxy: 'set', max: r.maxFen, placed: String(r.bidsPlaced) };
    });
  }
  if (intent === 'proxyCancel') {
    return proxyAct(async () => {
      await context.services.bidding.cancelProxy(auth.actor, id);
      return { proxy: 'cancelled' };
    });
  }
  throw data({ messageKey: 'errors.notFound' }, { status: 400 });
}

/** Statuses that can still change: the page listens for them. */
const OPEN = new Set(['announced', 'live', 'suspended']);

export default function AuctionPage() {
  const a = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const { listing: l, court } = a;
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const initial = useMemo(() => stateOfSnapshot(a.live), [a.live]);
  const socket = useAuctionSocket(l.id, a.serverTime, OPEN.has(l.status), initial);
  useLaterMessages(CONNECTION_MESSAGES);
  const live = socket.live ?? initial;
  const now = useServerNow(socket.offset);
  const revalidator = useRevalidator();
  // At zero the server's job moves the status; ask once in case its event is missed.
  const onElapsed = useCallback(() => revalidator.revalidate(), [revalidator]);
  const courtName = locale === 'en' ? court.nameEn : court.nameZh;
  const fieldErrors = posted && 'fieldErrors' in posted ? posted.fieldErrors : undefined;
  const formError = posted && 'formError' in posted ? posted.formError : undefined;
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
          {l.loanSupported && (
            <a className="badge" href="#disclosure">
              {t('disclosure.loan.badge')}
            </a>
          )}
        </div>
        {socket.connection && <ConnectionIndicator connection={socket.connection} />}
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

      {/* What a buyer looks at first (issue 21): the photos and the documents, then the price and
          the bidding beside them (below them on a phone), then the facts, then the bid record. */}
      <div className="auction-layout">
        <div className="auction-media">
          <Section id="photos" title={t('auction.photosTitle')}>
            <PhotoGallery photos={a.photos} title={l.title} />
          </Section>
          <Section id="documents" title={t('auction.documentsTitle')}>
            <Documents documents={a.documents} />
          </Section>
        </div>

        <aside className="auction-aside" aria-label={t('auction.keyFacts')}>
          {l.status === 'ended' && (
            <AuctionResult
              outcome={a.live.outcome}
              confirmation={a.confirmation}
              held={l.resultHeld}
              road={a.road}
              listingId={l.id}
              locale={locale}
              offset={socket.offset}
            />
          )}
          {(l.status === 'announced' || l.status === 'live') && (
            <LiveClock
              live={live}
              startsAt={l.startsAt}
              now={now}
              extensionMs={a.extensionMs}
              locale={locale}
              onElapsed={onElapsed}
            />
          )}
          {l.status === 'ended' && l.endedAt && (
            <p className="countdown">{t('auction.endedOn', { at: formatDateTime(l.endedAt, locale) })}</p>
          )}
          {l.status !== 'withdrawn' && <PriceBoard live={live} followers={a.follow.followers} />}
          <FollowBox listingId={l.id} box={a.follow} answer={a.followAnswer} signedIn={a.me.signedIn} />
          {(l.status === 'announced' || l.status === 'live' || l.status === 'suspended') && (
            <>
              {formError && (
                <div className="form-error" role="alert">
                  {t(formError)}
                </div>
              )}
              <Bidding
                live={live}
                me={a.me}
                listingId={l.id}
                clientKey={a.clientKey}
                answer={a.answer}
                fieldErrors={fieldErrors}
                connection={socket.connection}
                placeBid={socket.placeBid}
                setProxy={socket.setProxy}
                cancelProxy={socket.cancelProxy}
                barClock={<BarClock live={live} startsAt={l.startsAt} now={now} locale={locale} />}
              />
            </>
          )}
          <PriceFacts listing={l} asset={a.asset} locale={locale} />
        </aside>

        <div className="auction-body">
          <Section id="asset" title={t('auction.assetTitle')}>
            <AssetDetails asset={a.asset} listing={l} />
          </Section>
          <Section id="times" title={t('auction.timesTitle')}>
            {/* The end the log records, kept live like the clock (ADR 013). */}
            <TimeFacts listing={{ ...l, currentEndAt: new Date(live.currentEndAt) }} locale={locale} />
          </Section>
          <Section id="notices" title={t('auction.noticesTitle')}>
            {l.purchaseRestricted && <p className="notice">{t('auction.restrictedHelp')}</p>}
            <Prose>{l.specialNotices}</Prose>
          </Section>
          <Section id="disclosure" title={t('disclosure.title')}>
            {/* art. 14(5): occupancy and the duties that go with the property. */}
            <dl className="facts">
              <dt>{t('disclosure.occupancy.label')}</dt>
              <dd>
                <OccupancyText disclosure={a.disclosure} />
              </dd>
              <dt>{t('disclosure.arrears.title')}</dt>
              <dd>
                <ArrearsList disclosure={a.disclosure} />
              </dd>
              <dt>{t('disclosure.loan.label')}</dt>
              <dd>
                {t(
                  `disclosure.loan.${a.disclosure.loanSupported === null ? 'unstated' : a.disclosure.loanSupported ? 'yes' : 'no'}`,
                )}
              </dd>
              <dt>{t('disclosure.restricted.label')}</dt>
              <dd>{t(`disclosure.restricted.${l.purchaseRestricted ? 'yes' : 'no'}`)}</dd>
            </dl>
          </Section>
          <Section id="taxes" title={t('auction.taxesTitle')}>
            <dl className="facts">
              <dt>{t('auction.taxPayer')}</dt>
              <dd>{t(`taxPayer.${l.taxPayer}`)}</dd>
            </dl>
            <Prose>{l.taxes}</Prose>
            {/* art. 14(9), art. 30: who pays which tax, and an estimate at the starting price. */}
            <TaxEstimateTable disclosure={a.disclosure} />
          </Section>
          <Section id="viewing" title={t('auction.viewingTitle')}>
            <Prose>{l.viewing}</Prose>
            <ViewingSlots listingId={l.id} viewings={a.viewings} answer={a.viewingAnswer} />
          </Section>
          <Section id="priority" title={t('auction.priorityTitle')}>
            <PriorityPurchasers purchasers={a.purchasers} />
          </Section>
          <Section id="amendments" title={t('auction.amendmentsTitle')}>
            <Amendments amendments={a.amendments} locale={locale} />
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
          {l.status !== 'announced' && (
            <Section id="bids" title={t('live.history.title')}>
              <BidHistory bids={live.bids} total={live.bidCount} myCode={a.me.code} locale={locale} />
              <p>
                <Link to={`/auctions/${l.id}/verify`}>{t('record.link')}</Link>
              </p>
            </Section>
          )}
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
