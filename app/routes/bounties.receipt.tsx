import type { ActionFunctionArgs, LinksFunction, MetaFunction } from '@remix-run/node';
import { Link, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../components/court/display';
import { Field } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { PostForm } from '../components/staff/post-form';
import { formatDateTime, formatMoney } from '../utils/format';
import { act, formObject, readForm } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'bounties.public.checkTitle');

/**
 * The informant follows his tip by its receipt code (ADR 022): a POST, so the code never sits in
 * an address, a log or a history; only the tip's progress is shown, never its content.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const { intent: _, ...fields } = formObject(form);
  const result = await act(request, async () => ({
    status: await context.services.bounties.tipStatus(fields),
  }));
  return result;
}

export default function TipReceipt() {
  const answer = useActionData<typeof action>() as
    | {
        status?: {
          receipt: string;
          receivedAt: string;
          status: string;
          outcome: string | null;
          rewardFen: number | null;
          debtorName: string;
          noticeId: string;
        };
        formError?: string;
        fieldErrors?: Record<string, string[]>;
      }
    | undefined;
  const { t } = useTranslation();
  const locale = useLocale();
  const s = answer?.status;
  return (
    <div className="page">
      <p>
        <Link to="/bounties">{t('bounties.public.back')}</Link>
      </p>
      <section className="stack" aria-labelledby="receipt-title">
        <h1 id="receipt-title">{t('bounties.public.checkTitle')}</h1>
        <p className="lead">{t('bounties.public.checkHelp')}</p>
        <PostForm
          className="stack card"
          aria-label={t('bounties.public.checkTitle')}
          intent="check"
          result={s ? undefined : answer}
          submitLabel={t('bounties.public.check')}
        >
          {(r) => (
            <Field
              name="receipt"
              id="receipt"
              label={t('bounties.field.receipt')}
              autoComplete="off"
              required
              errors={r?.fieldErrors?.receipt}
            />
          )}
        </PostForm>
        {s && (
          <section className="card stack" aria-labelledby="receipt-result" data-testid="tip-status">
            <h2 id="receipt-result">{t('bounties.public.result')}</h2>
            <dl className="facts">
              <dt>{t('bounties.field.receipt')}</dt>
              <dd>
                <code>{s.receipt}</code>
              </dd>
              <dt>{t('bounties.field.debtor')}</dt>
              <dd>{s.debtorName}</dd>
              <dt>{t('bounties.public.receivedAt')}</dt>
              <dd>{formatDateTime(s.receivedAt, locale, true)}</dd>
              <dt>{t('bounties.field.status')}</dt>
              <dd data-testid="tip-state">
                {t(`bounties.tipStatus.${s.status}`)}
                {s.outcome && `（${t(`bounties.outcome.${s.outcome}`)}）`}
              </dd>
              {s.rewardFen !== null && (
                <>
                  <dt>{t('bounties.public.rewardAwarded')}</dt>
                  <dd data-testid="tip-reward">{formatMoney(s.rewardFen)}</dd>
                </>
              )}
            </dl>
            {s.rewardFen !== null && <p>{t('bounties.public.rewardNote')}</p>}
          </section>
        )}
      </section>
    </div>
  );
}
