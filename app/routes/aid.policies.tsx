import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { AID_CASE_TYPES } from '../../server/aid/rules';
import { money, percent, yuanInput } from '../components/aid/ui';
import { formAction, formRefusal, formValue } from '../components/court/route.server';
import { Field, SelectField } from '../components/forms';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { answerFor, PostForm } from '../components/staff/post-form';
import { aidLinks } from '../components/staff/stylesheets';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links = aidLinks;
export const meta: MetaFunction = () => [{ title: '救助保险保单 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  // The policies, the forms' data and what this viewer may do (`can`), from one read.
  return load(request, () => context.services.aid.policies.policyDesk(auth.actor));
}

const Intent = z.enum(['create', 'settings']);
const TIER_ROWS = [0, 1, 2] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const p = context.services.aid.policies;
  if (parsed.data === 'settings')
    return formAction(request, 'settings', async () => {
      await p.setCourtSettings(
        auth.actor,
        { committeeThreshold: formValue(form, 'committeeThreshold') },
        context.meta.requestId,
      );
      throw redirect('/aid/policies?done=settings');
    });
  const v = (n: string) => formValue(form, n);
  // Tier rows left without a rate are ignored; the last kept row may leave its bound open.
  const tiers = TIER_ROWS.map((i) => ({ upTo: v(`tiers.${i}.upTo`), rate: v(`tiers.${i}.rate`) })).filter(
    (r) => r.rate !== undefined,
  );
  return formAction(request, 'create', async () => {
    await p.createPolicy(
      auth.actor,
      {
        number: v('number'),
        courtId: v('courtId'),
        startsOn: v('startsOn'),
        endsOn: v('endsOn'),
        premium: v('premium'),
        limit: v('limit'),
        eligibleCaseTypes: form.getAll('eligibleCaseTypes').map(String),
        tiers,
        cap: v('cap'),
      },
      context.meta.requestId,
    );
    throw redirect('/aid/policies?done=created');
  });
}

export default function Policies() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const done = useDoneMessage('aid.policies.done', ['created', 'settings']);
  const errors = answerFor(result, 'create')?.fieldErrors;
  const year = new Date().getFullYear();
  return (
    <section className="page" aria-labelledby="policies-title">
      <PageHead
        id="policies-title"
        title={t('aid.policies.title')}
        back={{ to: '/aid', label: t('aid.backToQueue') }}
      />
      <DoneNotice message={done} />
      {d.policies.length === 0 ? (
        <p className="notice">{t('aid.policies.none')}</p>
      ) : (
        <ul className="cards" aria-labelledby="policies-title">
          {d.policies.map((p) => (
            <li key={p.id} className="card">
              <h2>{p.number}</h2>
              <dl className="facts">
                <dt>{t('aid.policies.court')}</dt>
                <dd>{i18n.language === 'en' ? p.courtNameEn : p.courtNameZh}</dd>
                <dt>{t('aid.policies.insurer')}</dt>
                <dd>{i18n.language === 'en' ? p.insurerNameEn : p.insurerNameZh}</dd>
                <dt>{t('aid.policies.term')}</dt>
                <dd>{t('aid.policies.termValue', { from: p.startsOn, to: p.endsOn })}</dd>
                <dt>{t('aid.policies.premium')}</dt>
                <dd>{money(p.premiumFen)}</dd>
                <dt>{t('aid.policies.limit')}</dt>
                <dd>{money(p.limitFen)}</dd>
                <dt>{t('aid.policies.remaining')}</dt>
                <dd>
                  <strong>{money(p.remainingFen)}</strong>{' '}
                  <progress
                    className="progress"
                    max={Number(p.limitFen)}
                    value={Number(p.usedFen)}
                    aria-label={t('aid.policies.usedShare')}
                  >
                    {percent(Number(p.usedFen), Number(p.limitFen))}
                  </progress>{' '}
                  {t('aid.policies.used', {
                    used: money(p.usedFen),
                    share: percent(Number(p.usedFen), Number(p.limitFen)),
                  })}
                </dd>
                <dt>{t('aid.policies.caseTypes')}</dt>
                <dd>{p.eligibleCaseTypes.map((c) => t(`aidCaseType.${c}`)).join('、')}</dd>
                <dt>{t('aid.policies.formula')}</dt>
                <dd>
                  <ul>
                    {p.formula.tiers.map((tier) => (
                      <li key={`${p.id}-${tier.upToFen ?? 'open'}`}>
                        {tier.upToFen === null
                          ? t('aid.policies.tierOpen', { rate: tier.rateBp / 100 })
                          : t('aid.policies.tier', { upTo: money(tier.upToFen), rate: tier.rateBp / 100 })}
                      </li>
                    ))}
                    <li>{t('aid.policies.cap', { cap: money(p.formula.capFen) })}</li>
                  </ul>
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}

      {d.can.settings && d.settings && (
        <PostForm
          className="stack narrow"
          sectionTitle={{ id: 'settings-title', text: t('aid.policies.settings') }}
          intent="settings"
          result={result}
          submitLabel={t('aid.policies.saveSettings')}
        >
          <Field
            name="committeeThreshold"
            label={t('aid.policies.threshold')}
            help={t('aid.policies.thresholdHelp')}
            inputMode="decimal"
            defaultValue={yuanInput(d.settings.committeeThresholdFen)}
            errors={answerFor(result, 'settings')?.fieldErrors?.committeeThreshold}
          />
        </PostForm>
      )}

      {d.can.create && (
        <PostForm
          className="stack narrow"
          sectionTitle={{ id: 'new-policy-title', text: t('aid.policies.new') }}
          intent="create"
          result={result}
          submitLabel={t('aid.policies.create')}
        >
          <Field name="number" label={t('aid.policies.number')} required errors={errors?.number} />
          <SelectField
            name="courtId"
            label={t('aid.policies.court')}
            options={d.courts.map((c) => ({
              value: c.id,
              label: i18n.language === 'en' ? c.nameEn : c.nameZh,
            }))}
            errors={errors?.courtId}
          />
          <div className="row-fields">
            <Field
              name="startsOn"
              type="date"
              label={t('aid.policies.startsOn')}
              defaultValue={`${year}-01-01`}
              required
              errors={errors?.startsOn}
            />
            <Field
              name="endsOn"
              type="date"
              label={t('aid.policies.endsOn')}
              defaultValue={`${year}-12-31`}
              required
              errors={errors?.endsOn}
            />
          </div>
          <div className="row-fields">
            <Field
              name="premium"
              label={t('aid.policies.premiumYuan')}
              inputMode="decimal"
              required
              errors={errors?.premium}
            />
            <Field
              name="limit"
              label={t('aid.policies.limitYuan')}
              help={t('aid.policies.limitHelp')}
              inputMode="decimal"
              required
              errors={errors?.limit}
            />
          </div>
          <FormSection
            id="case-types"
            legend={t('aid.policies.caseTypes')}
            errors={errors?.eligibleCaseTypes}
          >
            {AID_CASE_TYPES.map((c) => (
              <label key={c} className="checkbox">
                <input type="checkbox" name="eligibleCaseTypes" value={c} defaultChecked />
                {t(`aidCaseType.${c}`)}
              </label>
            ))}
          </FormSection>
          <FormSection
            id="tiers"
            legend={t('aid.policies.formula')}
            help={t('aid.policies.tiersHelp')}
            errors={errors?.tiers}
          >
            {TIER_ROWS.map((i) => (
              <FormSection key={`tier-${i}`} legend={t('aid.policies.tierRow', { n: i + 1 })} row>
                <Field
                  name={`tiers.${i}.upTo`}
                  id={`tier-${i}-upTo`}
                  label={t('aid.policies.tierUpTo')}
                  inputMode="decimal"
                  defaultValue={i === 0 ? '30000' : ''}
                />
                <Field
                  name={`tiers.${i}.rate`}
                  id={`tier-${i}-rate`}
                  label={t('aid.policies.tierRate')}
                  inputMode="decimal"
                  defaultValue={i === 0 ? '100' : i === 1 ? '10' : ''}
                />
              </FormSection>
            ))}
            <Field
              name="cap"
              label={t('aid.policies.capYuan')}
              inputMode="decimal"
              defaultValue="100000"
              required
              errors={errors?.cap}
            />
          </FormSection>
        </PostForm>
      )}
    </section>
  );
}
