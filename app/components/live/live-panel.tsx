import { Form, Link } from '@remix-run/react';
import { type FormEvent, type ReactNode, type RefObject, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { nextAmounts } from '../../../server/auctions/rules';
import type { BidAnswerDto } from '../../../server/realtime/events';
import { useLaterMessages } from '../../i18n/i18n';
import { capitalWords } from '../../utils/capital-words';
import { formatMoney } from '../../utils/format';
import { CsrfInput, Field } from '../forms';
import type { Connection, SocketResult } from '../public/use-auction-socket';
import { newClientKey, yuanToFen } from './amounts';
import { type LiveState, proxyAnswerTo, standingOf } from './live-state';
import type { FormAnswer } from './reasons';

/** The signed-in viewer's own side of the auction (never anyone else's identity). */
export interface MyBidding {
  signedIn: boolean;
  registered: boolean;
  code: string | null;
  depositId: string | null;
  depositHeld: boolean;
  priorityRank: number | null;
  proxyMaxFen: string | null;
}

export type MyStatus = 'signIn' | 'notRegistered' | 'depositNotHeld' | 'leading' | 'outbid' | 'noBid';

export function myStatusOf(live: Pick<LiveState, 'leaderCode' | 'bids'>, me: MyBidding): MyStatus {
  if (!me.signedIn) return 'signIn';
  if (!me.registered) return 'notRegistered';
  if (!me.depositHeld || !me.code) return 'depositNotHeld';
  if (live.leaderCode === me.code) return 'leading';
  return live.bids.some((b) => b.code === me.code) ? 'outbid' : 'noBid';
}

/** The viewers' count arrives over the socket (ADR 004: shipped with the page all the same). */
const VIEWERS = ['live.viewers'];

/** Price, leader and counts. Price and leader are a polite live region; the counts are not announced. */
export function PriceBoard({ live, followers }: { live: LiveState; followers?: number }) {
  const { t } = useTranslation();
  useLaterMessages([], VIEWERS);
  const sold = live.status === 'ended' && live.outcome === 'sold';
  const label =
    live.priceFen === null ? 'live.startingPrice' : sold ? 'live.finalPrice' : 'live.currentPrice';
  return (
    <section className="price-board" aria-labelledby="price-board-title">
      <h2 id="price-board-title" className="visually-hidden">
        {t('live.title')}
      </h2>
      <div aria-live="polite" aria-atomic="true">
        <p className="price-label">{t(label)}</p>
        <p className="price-value" data-testid="current-price">
          {formatMoney(live.priceFen ?? live.startingPriceFen)}
        </p>
        <p className="price-leader" data-testid="leader">
          {live.leaderCode ? t('live.leader', { code: live.leaderCode }) : t('live.noBids')}
        </p>
      </div>
      <ul className="live-counts">
        <li>{t('live.bidCount', { count: live.bidCount })}</li>
        {live.viewers !== null && <li data-testid="viewers">{t('live.viewers', { count: live.viewers })}</li>}
        <li data-testid="registered">{t('live.registered', { count: live.registered })}</li>
        {followers !== undefined && (
          <li data-testid="followers">{t('follow.count', { count: followers })}</li>
        )}
      </ul>
    </section>
  );
}

/**
 * A value the page changes locally (a socket answer, a field checked in the browser) until the
 * server sends a new one: then the server's wins. `source` is the server's value's identity.
 */
function useSince<T>(source: unknown, fromServer: T): [T, (value: T) => void] {
  const [local, setLocal] = useState<{ source: unknown; value: T } | null>(null);
  const value = local && local.source === source ? local.value : fromServer;
  return [value, (v: T) => setLocal({ source, value: v })];
}

type Message = { tone: 'ok' | 'info'; text: string } | { tone: 'error'; text: string };

interface BiddingProps {
  live: LiveState;
  me: MyBidding;
  listingId: string;
  /** The loader's key for the form posts (a double submit of one page is one bid). */
  clientKey: string;
  answer: FormAnswer | null;
  /** Field errors of a refused form post (the free amount or the proxy maximum). */
  fieldErrors?: Record<string, string[]>;
  connection: Connection | null;
  placeBid: (amountFen: string, clientKey: string) => Promise<SocketResult<BidAnswerDto>>;
  setProxy: (maxFen: string) => Promise<SocketResult<{ maxFen: string; bidsPlaced: number }>>;
  cancelProxy: () => Promise<SocketResult<{ cancelled: true }>>;
  /** The compact countdown the phone's bid bar keeps in view (`BarClock`). */
  barClock?: ReactNode;
  /** The page the forms post to and a cancelled confirmation returns to; the auction's by default. */
  pagePath?: string;
  /** A practice session (ADR 033): the confirmation says the bid binds nobody. */
  practice?: boolean;
}

/**
 * The bidder's status, the outbid notice and the forms: the next valid amounts as buttons, a
 * free amount, a proxy maximum and its cancellation. With a live socket the forms send
 * `bid:place` / `proxy:set` / `proxy:cancel`; without one (no JavaScript, a dropped connection)
 * they post to the route's action, which answers through the same engine.
 */
export function Bidding(props: BiddingProps) {
  const { live, me, listingId, clientKey, answer, connection } = props;
  const pagePath = props.pagePath ?? `/auctions/${listingId}`;
  const { t } = useTranslation();
  const status = myStatusOf(live, me);
  const proxyText = (maxFen: string, placed: number) =>
    `${t('live.proxySet', { amount: formatMoney(maxFen) })}${placed > 0 ? ` ${t('live.proxyPlaced', { count: placed })}` : ''}`;
  // The answer of a form post (the redirect's query string) until something newer replaces it.
  const answered: Message | null =
    !answer || answer.kind === 'confirm'
      ? null
      : !answer.accepted
        ? { tone: 'error', text: t(answer.reason) }
        : answer.kind === 'bid'
          ? { tone: 'ok', text: t('live.accepted', { amount: formatMoney(answer.amountFen) }) }
          : answer.kind === 'proxyCancelled'
            ? { tone: 'ok', text: t('live.proxyCancelled') }
            : { tone: 'ok', text: proxyText(answer.maxFen, answer.bidsPlaced) };
  const [message, setMessage] = useSince<Message | null>(answer, answered);
  // The bid waiting for the bidder's confirmation (a tap on an amount, or the action's ?confirm=).
  const [confirming, setConfirming] = useSince<string | null>(
    answer,
    answer?.kind === 'confirm' ? answer.amountFen : null,
  );
  // The bidder's last accepted bid, to explain a proxy that topped it in the same instant.
  const [accepted, setAccepted] = useSince<{ seq: number; amountFen: string } | null>(
    answer,
    answer?.kind === 'bid' && answer.accepted && answer.seq
      ? { seq: answer.seq, amountFen: answer.amountFen }
      : null,
  );
  const [amountError, setAmountError] = useSince(props.fieldErrors, props.fieldErrors?.amount);
  const [proxyError, setProxyError] = useSince(props.fieldErrors, props.fieldErrors?.max);
  const [proxyMax, setProxyMax] = useSince(me.proxyMaxFen, me.proxyMaxFen);
  const [busy, setBusy] = useState(false);
  const [outbid, setOutbid] = useState<{ price: string; code: string } | null>(null);
  const previous = useRef<MyStatus | null>(null);

  // Outbid (after the page opened): an alert, once, with the price and the new leader's code.
  useEffect(() => {
    if (status === 'outbid' && previous.current !== null && previous.current !== 'outbid')
      setOutbid({ price: live.priceFen ?? live.startingPriceFen, code: live.leaderCode ?? '' });
    if (status === 'leading') setOutbid(null);
    previous.current = status;
  }, [status, live.priceFen, live.startingPriceFen, live.leaderCode]);

  const socketReady = connection === 'connected';

  async function bid(amountFen: string) {
    setBusy(true);
    setOutbid(null);
    setAccepted(null);
    setMessage({ tone: 'info', text: t('live.pending', { amount: formatMoney(amountFen) }) });
    // A fresh key per bid; its retries (timeout, reconnection) reuse it, so it counts once.
    const r = await props.placeBid(amountFen, newClientKey());
    setBusy(false);
    if (r.kind === 'ok') {
      if (r.data.accepted) setAccepted({ seq: r.data.seq, amountFen: r.data.amountFen });
      setMessage(
        r.data.accepted
          ? { tone: 'ok', text: t('live.accepted', { amount: formatMoney(r.data.amountFen) }) }
          : { tone: 'error', text: t(r.data.reason) },
      );
    } else setMessage({ tone: 'error', text: failureText(r) });
  }

  function failureText(r: SocketResult<unknown>) {
    if (r.kind === 'error')
      return t(r.message.startsWith('bidding.') ? r.message : `live.failed.${r.code}`, {
        defaultValue: t('live.failed.internal'),
      });
    return t(r.kind === 'unknown' ? 'live.unknownResult' : 'live.failed.internal');
  }

  // A tap on an amount never bids: it asks for the confirmation first (without JavaScript the
  // action answers with the same step, ?confirm=).
  function onQuick(e: FormEvent<HTMLFormElement>) {
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const amountFen = submitter?.value;
    if (!amountFen) return;
    e.preventDefault();
    setConfirming(amountFen);
  }

  function onConfirm(e: FormEvent<HTMLFormElement>) {
    if (!socketReady || !confirming) return; // the confirmed form posts to the action instead
    e.preventDefault();
    const amountFen = confirming;
    setConfirming(null);
    void bid(amountFen);
  }

  function onFree(e: FormEvent<HTMLFormElement>) {
    const form = e.currentTarget;
    const fen = yuanToFen(String(new FormData(form).get('amount') ?? ''));
    if (!fen) {
      e.preventDefault();
      setAmountError(['validation.amount']);
      return;
    }
    setAmountError(undefined);
    e.preventDefault();
    setConfirming(fen);
    form.reset();
  }

  async function onProxy(e: FormEvent<HTMLFormElement>) {
    const fen = yuanToFen(String(new FormData(e.currentTarget).get('max') ?? ''));
    if (!fen) {
      e.preventDefault();
      setProxyError(['validation.amount']);
      return;
    }
    // The engine refuses a maximum below what the bidder would have to bid next.
    const floor =
      status === 'leading' && live.priceFen !== null
        ? BigInt(live.priceFen)
        : (nextAmounts(terms, standingOf(live), 1)[0] ?? 0n);
    if (BigInt(fen) < floor) {
      e.preventDefault();
      setProxyError(['bidding.proxyTooLow']);
      return;
    }
    setProxyError(undefined);
    if (!socketReady) return;
    e.preventDefault();
    setBusy(true);
    const r = await props.setProxy(fen);
    setBusy(false);
    if (r.kind === 'ok') {
      setProxyMax(r.data.maxFen);
      setMessage({ tone: 'ok', text: proxyText(r.data.maxFen, r.data.bidsPlaced) });
    } else if (r.kind === 'error' && r.code === 'validation')
      setProxyError(r.fieldErrors?.maxFen ?? ['bidding.proxyTooLow']);
    else setMessage({ tone: 'error', text: failureText(r) });
  }

  async function onCancelProxy(e: FormEvent<HTMLFormElement>) {
    if (!socketReady) return;
    e.preventDefault();
    setBusy(true);
    const r = await props.cancelProxy();
    setBusy(false);
    if (r.kind === 'ok') {
      setProxyMax(null);
      setMessage({ tone: 'ok', text: t('live.proxyCancelled') });
    } else setMessage({ tone: 'error', text: failureText(r) });
  }

  const terms = { startingPriceFen: BigInt(live.startingPriceFen), incrementFen: BigInt(live.incrementFen) };
  const amounts = nextAmounts(terms, standingOf(live), 3).map(String);
  const canBid =
    live.status === 'live' && (status === 'leading' || status === 'outbid' || status === 'noBid');
  // Art. 19, 21: a priority purchaser may bid the current price itself and lead, rank permitting.
  const match =
    canBid && me.priorityRank !== null && live.priceFen !== null && status !== 'leading'
      ? live.priceFen
      : null;
  // Another bidder's proxy topped the bidder's accepted bid in the same instant: say so, once,
  // instead of "accepted" beside an unexplained "outbid".
  const toppedBy = accepted ? proxyAnswerTo(live.bids, accepted, me.code) : null;
  const shown: Message | null = toppedBy
    ? {
        tone: 'info',
        text: t('live.proxyAnswered', {
          amount: formatMoney(accepted!.amountFen),
          price: formatMoney(toppedBy.amountFen),
          code: toppedBy.code,
        }),
      }
    : message;
  const hidden = (
    <>
      <CsrfInput />
      <input type="hidden" name="clientKey" value={clientKey} />
    </>
  );

  return (
    <section className="bidding" aria-labelledby="bidding-title" id="bid">
      <h2 id="bidding-title">{t('live.biddingTitle')}</h2>
      <p className={`my-status my-status-${status}`} data-testid="my-status">
        {t(`live.me.${status}`, { code: me.code ?? '' })}
      </p>
      {(status === 'signIn' || status === 'notRegistered') &&
        (live.status === 'announced' || live.status === 'live') && (
          <p>
            <Link to={`/auctions/${listingId}/register`} className="button">
              {t('auctionMoney.register')}
            </Link>
          </p>
        )}
      {status === 'depositNotHeld' && me.depositId && (
        <p>
          <Link to={`/me/pay/deposit/${me.depositId}`} className="button">
            {t('live.payDeposit')}
          </Link>
        </p>
      )}
      {me.registered && live.status === 'announced' && <p className="muted">{t('live.notStarted')}</p>}

      {outbid && !toppedBy && (
        <p className="notice notice-warning live-outbid" role="alert" data-testid="outbid">
          {t('live.outbid', { price: formatMoney(outbid.price), code: outbid.code })}
        </p>
      )}
      <div role="status" className="bid-message-status">
        {shown && shown.tone !== 'error' && (
          <p className={`bid-message bid-message-${shown.tone}`} data-testid="bid-message">
            {shown.text}
          </p>
        )}
      </div>
      {shown?.tone === 'error' && (
        <p className="bid-message bid-message-error" role="alert" data-testid="bid-message">
          {shown.text}
        </p>
      )}

      {canBid && confirming && (
        <ConfirmBid
          key={confirming}
          amountFen={confirming}
          pagePath={pagePath}
          note={props.practice ? 'practice.confirmNote' : 'live.confirm.binding'}
          busy={busy}
          hidden={hidden}
          onSubmit={onConfirm}
          onCancel={() => setConfirming(null)}
        />
      )}

      {canBid && (
        <>
          <Form method="post" className="quick-bids" onSubmit={onQuick} aria-labelledby="quick-bids-label">
            {hidden}
            <input type="hidden" name="intent" value="bid" />
            <p id="quick-bids-label" className="quick-bids-label">
              {t('live.quickBid')}
            </p>
            <div className="quick-bids-buttons">
              {match && (
                <button type="submit" name="amountFen" value={match} className="button" disabled={busy}>
                  {t('live.priorityMatch', { amount: formatMoney(match) })}
                </button>
              )}
              {amounts.map((a) => (
                <button
                  key={a}
                  type="submit"
                  name="amountFen"
                  value={a}
                  className="button"
                  disabled={busy || status === 'leading'}
                >
                  {t('live.bidButton', { amount: formatMoney(a) })}
                </button>
              ))}
            </div>
            {status === 'leading' && <p className="field-help">{t('live.leadingHelp')}</p>}
          </Form>

          <Form method="post" className="free-bid" onSubmit={onFree} noValidate>
            {hidden}
            <input type="hidden" name="intent" value="bid" />
            <Field
              name="amount"
              id="bid-amount"
              label={t('live.amountLabel')}
              help={t('live.amountHelp', { increment: formatMoney(live.incrementFen) })}
              errors={amountError}
              inputMode="decimal"
              autoComplete="off"
            />
            <button type="submit" className="button" disabled={busy || status === 'leading'}>
              {t('live.submitAmount')}
            </button>
          </Form>

          <section className="proxy-bid" aria-labelledby="proxy-title">
            <h3 id="proxy-title">{t('live.proxyTitle')}</h3>
            {proxyMax && (
              <Form method="post" className="proxy-current" onSubmit={onCancelProxy}>
                {hidden}
                <input type="hidden" name="intent" value="proxyCancel" />
                <p data-testid="proxy-current">{t('live.proxyCurrent', { amount: formatMoney(proxyMax) })}</p>
                <button type="submit" className="button button-small" disabled={busy}>
                  {t('live.proxyCancel')}
                </button>
              </Form>
            )}
            <Form method="post" className="proxy-set" onSubmit={onProxy} noValidate>
              {hidden}
              <input type="hidden" name="intent" value="proxy" />
              <Field
                name="max"
                id="proxy-max"
                label={t('live.proxyLabel')}
                help={t('live.proxyHelp')}
                errors={proxyError}
                inputMode="decimal"
                autoComplete="off"
              />
              <button type="submit" className="button" disabled={busy}>
                {t('live.proxySubmit')}
              </button>
            </Form>
          </section>
        </>
      )}
      {(live.status === 'announced' || live.status === 'live') && (
        <BidBar
          live={live}
          status={status}
          listingId={listingId}
          depositId={me.depositId}
          clock={props.barClock}
          next={canBid && status !== 'leading' ? (amounts[0] ?? null) : null}
          busy={busy}
          hidden={hidden}
          onSubmit={onQuick}
        />
      )}
    </section>
  );
}

/**
 * On a phone (at most 600 px wide) a bar fixed at the bottom of the screen: the countdown and the
 * price stay in view while the bidder reads the announcement, beside the one next step. Its bid
 * is the lowest valid amount and, like every bid, opens the confirmation first (the amount in
 * capital words); without JavaScript it posts to the action, which answers with the same step.
 * Wider screens have the bidding panel in view instead (live.css hides the bar).
 */
function BidBar({
  live,
  status,
  listingId,
  depositId,
  clock,
  next,
  busy,
  hidden,
  onSubmit,
}: {
  live: LiveState;
  status: MyStatus;
  listingId: string;
  depositId: string | null;
  clock: ReactNode;
  /** The amount the bar's button offers, when the bidder may bid now. */
  next: string | null;
  busy: boolean;
  hidden: ReactNode;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
}) {
  const { t } = useTranslation();
  const bar = useRef<HTMLElement>(null);
  useBarHeight(bar);
  const priceLabel = live.priceFen === null ? 'live.startingPrice' : 'live.currentPrice';
  let action: ReactNode = null;
  if (next)
    action = (
      <Form method="post" className="bid-bar-form" onSubmit={onSubmit}>
        {hidden}
        <input type="hidden" name="intent" value="bid" />
        <button type="submit" name="amountFen" value={next} className="button" disabled={busy}>
          {t('live.bar.bid', { amount: formatMoney(next) })}
        </button>
      </Form>
    );
  else if (status === 'signIn' || status === 'notRegistered')
    action = (
      <Link to={`/auctions/${listingId}/register`} className="button">
        {t('auctionMoney.register')}
      </Link>
    );
  else if (status === 'depositNotHeld' && depositId)
    action = (
      <Link to={`/me/pay/deposit/${depositId}`} className="button">
        {t('live.payDeposit')}
      </Link>
    );
  else if (status === 'leading') action = <p className="bid-bar-note">{t('live.bar.leading')}</p>;
  return (
    <section ref={bar} className="bid-bar" aria-label={t('live.bar.label')} data-testid="bid-bar">
      <div className="bid-bar-facts">
        {clock}
        <p className="bid-bar-price">
          <span className="bid-bar-label">{t(priceLabel)}</span>{' '}
          <strong>{formatMoney(live.priceFen ?? live.startingPriceFen)}</strong>
        </p>
      </div>
      {action}
    </section>
  );
}

/**
 * The bar's height as it renders (the font, the language and the countdown's length change it),
 * published as `--bid-bar-height` for the room beneath the page and the confirmation's scroll
 * margin (live.css), so nothing the bidder must tap is ever under the bar.
 */
function useBarHeight(bar: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const el = bar.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() =>
      root.style.setProperty('--bid-bar-height', `${el.offsetHeight}px`),
    );
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--bid-bar-height');
    };
  }, [bar]);
}

/**
 * The step between choosing an amount and bidding: the amount in figures and in capital words
 * (大写, so a slip of a digit shows), and a deliberate second tap. Focus moves here so a screen
 * reader and a phone user land on it. Cancel is a link back to the page (it works without
 * JavaScript), intercepted in the browser.
 */
function ConfirmBid({
  amountFen,
  pagePath,
  note,
  busy,
  hidden,
  onSubmit,
  onCancel,
}: {
  amountFen: string;
  pagePath: string;
  /** What the bid binds the bidder to: a real bid, or nothing (practice). */
  note: 'live.confirm.binding' | 'practice.confirmNote';
  busy: boolean;
  hidden: React.ReactNode;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // In view whole, above the phone's bid bar (its scroll margin, live.css), not just its heading.
    heading.current?.focus({ preventScroll: true });
    form.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <Form
      ref={form}
      method="post"
      className="bid-confirm"
      aria-labelledby="bid-confirm-title"
      onSubmit={onSubmit}
      data-testid="bid-confirm"
    >
      {hidden}
      <input type="hidden" name="intent" value="bid" />
      <input type="hidden" name="amountFen" value={amountFen} />
      <input type="hidden" name="confirmed" value="1" />
      <h3 id="bid-confirm-title" tabIndex={-1} ref={heading}>
        {t('live.confirm.title')}
      </h3>
      <p className="bid-confirm-amount">
        {t('live.confirm.amount')} <strong className="money">{formatMoney(amountFen)}</strong>
      </p>
      <p>
        {t('live.confirm.words')}{' '}
        <strong lang="zh-CN" data-testid="bid-confirm-words">
          {capitalWords(amountFen)}
        </strong>
      </p>
      <p className="field-help">{t(note)}</p>
      <div className="bid-confirm-actions">
        <button type="submit" className="button" disabled={busy}>
          {t('live.confirm.submit')}
        </button>
        <Link
          to={pagePath}
          className="button button-secondary"
          onClick={(e) => {
            e.preventDefault();
            onCancel();
          }}
        >
          {t('live.confirm.cancel')}
        </Link>
      </div>
    </Form>
  );
}
