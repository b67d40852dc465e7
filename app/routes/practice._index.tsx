import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../server/http/cookies';
import { CsrfInput } from '../components/forms';
import { durationParts } from '../components/live/amounts';
import practiceStyles from '../components/practice/practice.css?url';
import { pageTitle } from '../components/public/meta';
import { formatDateTime, formatMoney } from '../utils/format';
import { act, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: practiceStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'practice.title');

/**
 * 模拟拍卖 (ADR 033): what the practice is, the lot and its fast clock, and what the viewer may do
 * (start or continue, sign in first, or nothing for staff), decided by the service.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return load(request, () => context.services.practice.home(context.auth?.actor ?? null));
}

/** Starts (or opens the running) practice session, then goes there. */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  if (form.get('intent') !== 'start') return data({ formError: 'errors.badRequest' }, { status: 400 });
  return act(request, async () => {
    const { sessionId } = await context.services.practice.start(auth.actor);
    return redirect(`/practice/${sessionId}`);
  });
}

export default function PracticeHome() {
  const d = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const duration = (ms: number) => {
    const p = durationParts(ms);
    return t(p.key, { count: p.count });
  };
  const extension = duration(d.clock.extensionMs);
  return (
    <article className="page practice" aria-labelledby="practice-title">
      <p className="eyebrow">
        <span className="tag tag-practice">{t('practice.tag')}</span>
      </p>
      <h1 id="practice-title">{t('practice.title')}</h1>
      <div className="notice practice-banner" data-testid="practice-banner">
        <p>
          <strong>{t('practice.banner')}</strong>
        </p>
        <p>{t('practice.clock', { window: duration(d.clock.windowMs), extension })}</p>
      </div>
      <p className="lead">{t('practice.intro')}</p>

      <section aria-labelledby="practice-lot-title">
        <h2 id="practice-lot-title">{t('practice.lotTitle')}</h2>
        <dl className="facts">
          <dt>{t('practice.lotTitle')}</dt>
          <dd>{t('practice.lot')}</dd>
          <dt>{t('practice.startingPrice')}</dt>
          <dd className="money">{formatMoney(d.lot.startingPriceFen)}</dd>
          <dt>{t('practice.increment')}</dt>
          <dd className="money">{formatMoney(d.lot.incrementFen)}</dd>
          <dt>{t('practice.deposit')}</dt>
          <dd>{t('practice.depositNote', { amount: formatMoney(d.lot.depositFen) })}</dd>
        </dl>
      </section>

      <section aria-labelledby="practice-how-title">
        <h2 id="practice-how-title">{t('practice.howTitle')}</h2>
        <ol className="practice-steps">
          <li>{t('practice.how.start')}</li>
          <li>{t('practice.how.confirm')}</li>
          <li>{t('practice.how.scripted', { reaction: duration(d.clock.reactionMs) })}</li>
          <li>{t('practice.how.extension', { extension })}</li>
        </ol>
      </section>

      {posted?.formError && (
        <div className="form-error" role="alert">
          {t(posted.formError)}
        </div>
      )}
      <div className="practice-start">
        {d.can.start && d.running && (
          <Link to={`/practice/${d.running}`} className="button">
            {t('practice.continue')}
          </Link>
        )}
        {d.can.start && !d.running && (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="button">
              {t('practice.start')}
            </button>
          </Form>
        )}
        {d.can.why === 'signIn' && (
          <>
            <p>{t('practice.signIn')}</p>
            <Link to="/login?redirectTo=%2Fpractice" className="button">
              {t('practice.signInLink')}
            </Link>
            <Link to="/signup?redirectTo=%2Fpractice">{t('practice.signUpLink')}</Link>
          </>
        )}
        {d.can.why === 'notBidder' && <p className="muted">{t('practice.notBidder')}</p>}
      </div>
      <p className="muted">{t('practice.realNameNote')}</p>

      {d.can.start && (
        <section aria-labelledby="practice-history-title">
          <h2 id="practice-history-title">{t('practice.historyTitle')}</h2>
          {d.sessions.length === 0 ? (
            <p className="muted">{t('practice.sessions.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">{t('practice.sessions.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('practice.sessions.startedAt')}</th>
                    <th scope="col">{t('practice.sessions.result')}</th>
                    <th scope="col">{t('practice.sessions.price')}</th>
                    <th scope="col">{t('practice.sessions.bids')}</th>
                    <th scope="col">{t('practice.sessions.extensions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.sessions.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/practice/${s.id}`}>{formatDateTime(s.startsAt, locale, true)}</Link>
                      </td>
                      <td>{t(`practice.outcome.${s.result ?? 'live'}`)}</td>
                      <td className="money">{s.priceFen ? formatMoney(s.priceFen) : '—'}</td>
                      <td>{s.bidCount}</td>
                      <td>{s.extensionCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </article>
  );
}
