import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData, useRevalidator } from '@remix-run/react';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { YuanSchema } from '../../server/cases/schemas';
import { isDomainError } from '../../server/errors';
import type { Locale } from '../../server/http/cookies';
import { durationParts, newClientKey } from '../components/live/amounts';
import { BidHistory } from '../components/live/bid-history';
import { CONNECTION_MESSAGES, ConnectionIndicator } from '../components/live/connection-indicator';
import liveStyles from '../components/live/live.css?url';
import { LiveClock, useServerNow } from '../components/live/live-clock';
import { Bidding, type MyBidding, PriceBoard } from '../components/live/live-panel';
import { answerOf, isBidReason } from '../components/live/reasons';
import practiceStyles from '../components/practice/practice.css?url';
import { PracticeResult } from '../components/practice/practice-result';
import { practiceLiveState, usePracticeSocket } from '../components/practice/use-practice-socket';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { useLaterMessages } from '../i18n/i18n';
import { act, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: publicStyles },
  { rel: 'stylesheet', href: liveStyles },
  { rel: 'stylesheet', href: practiceStyles },
];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'practice.sessionTitle');

const ParamsSchema = z.object({ sessionId: z.uuid() });

const keyOf = (params: URLSearchParams) => {
  const key = params.get('key');
  return params.has('confirm') && key && /^[\w-]{8,64}$/.test(key) ? key : newClientKey();
};

/** One's own practice session (ADR 033), caught up to now by the service; anyone else's is not found. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const search = new URL(request.url).searchParams;
  const session = await load(request, () =>
    context.services.practice.session(auth.actor, parsed.data.sessionId),
  );
  return { session, clientKey: keyOf(search), answer: answerOf(search) };
}

/**
 * Practice bids, proxy maximums and cancellations without JavaScript (or without a socket): the
 * practice service with the real rules, then back to the page with the answer in the query
 * string, exactly as the auction page does (a confirmation before any bid).
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const form = await readForm(request, context);
  const id = parsed.data.sessionId;
  const back = (answer: Record<string, string>) => redirect(`/practice/${id}?${new URLSearchParams(answer)}`);
  const intent = form.get('intent');
  const practice = context.services.practice;

  if (intent === 'bid') {
    const button = form.get('amountFen');
    const typed = button === null ? YuanSchema.safeParse(form.get('amount') ?? '') : null;
    if (typed && !typed.success)
      return data({ fieldErrors: { amount: ['validation.amount'] } }, { status: 400 });
    const amountFen = typed?.success ? typed.data.toString() : String(button);
    if (form.get('confirmed') !== '1') {
      if (!/^\d{1,15}$/.test(amountFen) || BigInt(amountFen) <= 0n)
        return data({ fieldErrors: { amount: ['validation.amount'] } }, { status: 400 });
      const key = String(form.get('clientKey') ?? '');
      return back({ confirm: amountFen, ...(/^[\w-]{8,64}$/.test(key) ? { key } : {}) });
    }
    return act(request, async () => {
      const answer = await practice.placeBid(auth.actor, id, {
        amountFen,
        clientKey: String(form.get('clientKey') ?? ''),
      });
      return back(
        answer.accepted
          ? { bid: 'accepted', amount: answer.amountFen, seq: String(answer.seq) }
          : { bid: answer.reason },
      );
    });
  }

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
      const r = await practice.setProxy(auth.actor, id, { maxFen: max.data.toString() });
      return { proxy: 'set', max: r.maxFen, placed: String(r.bidsPlaced) };
    });
  }
  if (intent === 'proxyCancel')
    return proxyAct(async () => {
      await practice.cancelProxy(auth.actor, id);
      return { proxy: 'cancelled' };
    });
  return data({ formError: 'errors.badRequest' }, { status: 400 });
}

export default function PracticeSession() {
  const { session: s, clientKey, answer } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  useLaterMessages(CONNECTION_MESSAGES);
  const initial = useMemo(() => practiceLiveState(s), [s]);
  const socket = usePracticeSocket(s.sessionId, s.serverTime, s.status === 'live', initial);
  const live = socket.live;
  const now = useServerNow(socket.offset);
  const revalidator = useRevalidator();
  // At zero the session ends on the server (its job, or the next read): ask once.
  const onElapsed = useCallback(() => revalidator.revalidate(), [revalidator]);
  const me: MyBidding = {
    signedIn: true,
    registered: true,
    code: s.code,
    depositId: null,
    // No deposit in practice: the bidder may bid at once.
    depositHeld: true,
    priorityRank: null,
    proxyMaxFen: s.proxyMaxFen,
  };
  const duration = (ms: number) => {
    const p = durationParts(ms);
    return t(p.key, { count: p.count });
  };
  const fieldErrors = posted && 'fieldErrors' in posted ? posted.fieldErrors : undefined;
  const formError = posted && 'formError' in posted ? posted.formError : undefined;
  return (
    <article className="page auction practice" aria-labelledby="practice-title">
      <header className="auction-header">
        <p className="eyebrow">
          <span className="tag tag-practice">{t('practice.tag')}</span> {t('practice.lot')}
        </p>
        <h1 id="practice-title">{t('practice.sessionTitle')}</h1>
        {socket.connection && <ConnectionIndicator connection={socket.connection} />}
      </header>
      <div className="notice practice-banner" data-testid="practice-banner">
        <p>
          <strong>{t('practice.banner')}</strong>
        </p>
        <p>
          {t('practice.clock', {
            window: duration(s.endsAt - s.startsAt),
            extension: duration(s.extensionMs),
          })}
        </p>
      </div>

      <div className="auction-layout">
        <aside className="auction-aside" aria-label={t('practice.lotTitle')}>
          {s.status === 'ended' && (
            <PracticeResult result={s.result} can={s.can} extensionCount={s.extensionCount} />
          )}
          {s.status === 'live' && (
            <LiveClock
              live={live}
              startsAt={new Date(s.startsAt).toISOString()}
              now={now}
              extensionMs={s.extensionMs}
              locale={locale}
              onElapsed={onElapsed}
            />
          )}
          <PriceBoard live={live} />
          {s.can.bid && (
            <>
              {formError && (
                <div className="form-error" role="alert">
                  {t(formError)}
                </div>
              )}
              <Bidding
                live={live}
                me={me}
                listingId={s.sessionId}
                pagePath={`/practice/${s.sessionId}`}
                practice
                clientKey={clientKey}
                answer={answer}
                fieldErrors={fieldErrors}
                connection={socket.connection}
                placeBid={socket.placeBid}
                setProxy={socket.setProxy}
                cancelProxy={socket.cancelProxy}
              />
            </>
          )}
        </aside>
        <div className="auction-body">
          <section aria-labelledby="practice-bids-title">
            <h2 id="practice-bids-title">{t('live.history.title')}</h2>
            <BidHistory bids={live.bids} total={live.bidCount} myCode={s.code} locale={locale} practice />
          </section>
        </div>
      </div>
    </article>
  );
}
