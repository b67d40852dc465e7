import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { NoticeFacts } from '../components/bounties/reward';
import { useLocale } from '../components/court/display';
import { idParam } from '../components/court/route.server';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { FormSection } from '../components/staff/form-section';
import { PostForm } from '../components/staff/post-form';
import { formatDateTime } from '../utils/format';
import { act, formObject, load, readForm } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'bounties.public.title');

/** One public notice and its tip form (财产调查规定 arts. 22-23): anyone, signed in or not. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const noticeId = idParam(params, 'noticeId');
  return load(request, () => context.services.bounties.publicNotice(noticeId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const noticeId = idParam(params, 'noticeId');
  const form = await readForm(request, context);
  const { intent: _, ...fields } = formObject(form);
  // The receipt is shown once, in this answer.
  const result = await act(request, () =>
    context.services.bounties.submitTip(
      context.auth?.actor ?? null,
      noticeId,
      fields,
      context.meta.requestId,
    ),
  );
  if (result && 'receipt' in result) return data({ sent: result });
  return result;
}

export default function BountyNotice() {
  const { notice, submissionKey } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as
    | {
        sent?: { receipt: string; receivedAt: string; repeated: boolean };
        fieldErrors?: Record<string, string[]>;
      }
    | undefined;
  const { t } = useTranslation();
  const locale = useLocale();
  const leadKinds = notice.scope === 'both' ? (['property', 'whereabouts'] as const) : [notice.scope];
  return (
    <div className="page">
      <p>
        <Link to="/bounties">{t('bounties.public.back')}</Link>
      </p>
      <article className="stack" aria-labelledby="notice-title">
        <h1 id="notice-title">
          {t('bounties.public.title')}：{notice.debtorName}
        </h1>
        <NoticeFacts n={notice} />
      </article>
      {answer?.sent ? (
        <section role="status" className="notice" data-testid="tip-receipt">
          <p>
            {answer.sent.repeated
              ? t('bounties.public.tipAgain')
              : t('bounties.public.tipDone', {
                  receivedAt: formatDateTime(answer.sent.receivedAt, locale, true),
                })}
          </p>
          <p>
            <strong>
              <code data-testid="receipt-code">{answer.sent.receipt}</code>
            </strong>
          </p>
          <p>
            <Link to="/bounties/receipt">{t('bounties.public.checkLink')}</Link>
          </p>
        </section>
      ) : (
        <PostForm
          className="stack card"
          aria-labelledby="tip-title"
          intent="submitTip"
          hiddenFields={{ submissionKey }}
          result={answer}
          submitLabel={t('bounties.public.tipTitle')}
          heading={<h2 id="tip-title">{t('bounties.public.tipTitle')}</h2>}
        >
          {(r) => (
            <>
              <p className="field-help">{t('bounties.public.tipHelp')}</p>
              <SelectField
                name="leadKind"
                id="tip-leadKind"
                label={t('bounties.field.leadKind')}
                options={leadKinds.map((k) => ({ value: k, label: t(`bounties.leadKind.${k}`) }))}
                errors={r?.fieldErrors?.leadKind}
              />
              <TextAreaField
                name="lead"
                id="tip-lead"
                label={t('bounties.field.lead')}
                help={t('bounties.field.leadHelp')}
                rows={5}
                required
                errors={r?.fieldErrors?.lead}
              />
              <Field
                name="informantName"
                id="tip-name"
                label={t('bounties.field.informantName')}
                autoComplete="name"
                required
                errors={r?.fieldErrors?.informantName}
              />
              <Field
                name="contact"
                id="tip-contact"
                type="tel"
                label={t('bounties.field.contact')}
                help={t('bounties.field.contactHelp')}
                autoComplete="tel"
                required
                errors={r?.fieldErrors?.contact}
              />
              <FormSection legend={t('bounties.field.eligible')} errors={r?.fieldErrors?.eligible}>
                <label className="checkbox">
                  <input type="checkbox" name="eligible" /> {t('bounties.field.eligible')}
                </label>
              </FormSection>
            </>
          )}
        </PostForm>
      )}
    </div>
  );
}
