import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AID_CASE_TYPES, computePayout } from '../../server/aid/rules';
import { YuanSchema } from '../../server/cases/schemas';
import { fenToYuan } from '../../server/csv';
import { isDomainError } from '../../server/errors';
import { money } from '../components/aid/ui';
import { formAction } from '../components/court/route.server';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { FilterBar } from '../components/staff/filter-bar';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { PostForm } from '../components/staff/post-form';
import { aidLinks } from '../components/staff/stylesheets';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = aidLinks;
export const meta: MetaFunction = () => [{ title: '救助申请 · 最后一公里' }];

/** Step 1 finds the case by its number; step 2 files the claim for one of its applicants. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseNumber = new URL(request.url).searchParams.get('case')?.trim();
  if (!caseNumber) return { caseNumber: null, context: null, notFound: false };
  return load(request, async () => {
    try {
      return {
        caseNumber,
        context: await context.services.aid.claims.filingContext(auth.actor, caseNumber),
        notFound: false,
      };
    } catch (e) {
      // Another court's case reads as unknown too: the same answer as a number nobody used.
      if (isDomainError(e) && e.code === 'not_found') return { caseNumber, context: null, notFound: true };
      throw e;
    }
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  return formAction(request, 'create', async () => {
    const claim = await context.services.aid.claims.createClaim(
      auth.actor,
      formObject(form),
      context.meta.requestId,
    );
    throw redirect(`/aid/claims/${claim.id}?done=created`);
  });
}

export default function NewClaim() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = result?.fieldErrors;
  const ctx = d.context;
  // The page stays mounted from step 1 to step 2: the default policy is the first one in force.
  const [chosenPolicy, setPolicyId] = useState('');
  // Pre-filled from the case (issue 22): the applicant's unpaid claim, the formula's amount as the
  // request, his name as the payee; each stays as typed once the clerk changes it.
  const [partyId, setPartyId] = useState('');
  const [typedUnpaid, setUnpaid] = useState<string | null>(null);
  const [typedRequested, setRequested] = useState<string | null>(null);
  const policyId = ctx?.policies.some((p) => p.id === chosenPolicy)
    ? chosenPolicy
    : (ctx?.policies[0]?.id ?? '');
  const policy = ctx?.policies.find((p) => p.id === policyId);
  const free = ctx?.parties.filter((p) => !p.existingClaim) ?? [];
  const party = free.find((p) => p.id === partyId) ?? free[0];
  const unpaid = typedUnpaid ?? (party?.claimFen != null ? fenToYuan(party.claimFen) : '');
  const parsed = YuanSchema.safeParse(unpaid);
  // The same pure formula the service applies at submission, shown while typing.
  const preview = policy && parsed.success ? computePayout(parsed.data, policy.formula) : null;
  const requested = typedRequested ?? (preview !== null ? fenToYuan(preview) : '');
  return (
    <section className="page" aria-labelledby="new-claim-title">
      <PageHead
        id="new-claim-title"
        title={t('aid.new.title')}
        back={{ to: '/aid', label: t('aid.backToQueue') }}
      />
      <FilterBar aria-label={t('aid.new.findCase')} submitLabel={t('aid.new.findCase')}>
        <Field
          name="case"
          label={t('aid.new.caseNumber')}
          help={t('aid.new.caseNumberHelp')}
          defaultValue={d.caseNumber ?? ''}
          required
          errors={d.notFound ? ['aidErrors.caseNotFound'] : undefined}
        />
      </FilterBar>

      {ctx && (
        <>
          <dl className="facts">
            <dt>{t('aid.claim.caseNumber')}</dt>
            <dd>{ctx.case.caseNumber}</dd>
            <dt>{t('aid.new.basis')}</dt>
            <dd>{ctx.case.basis}</dd>
            <dt>{t('aid.new.caseStatus')}</dt>
            <dd>{t(`caseStatus.${ctx.case.status}`)}</dd>
            <dt>{t('aid.claim.eligibility')}</dt>
            <dd data-testid="eligibility">
              {ctx.zhongben
                ? t('aid.new.zhongbenOn', { date: ctx.zhongben.closedOn })
                : t('aid.new.notZhongben')}
            </dd>
          </dl>
          {ctx.policies.length === 0 ? (
            <p className="notice">{t('aid.new.noPolicy')}</p>
          ) : free.length === 0 ? (
            <p className="notice">{t('aid.new.allClaimed')}</p>
          ) : (
            <PostForm
              className="stack narrow"
              aria-labelledby="new-claim-title"
              hiddenFields={{ caseId: ctx.case.id }}
              result={result}
              submitLabel={t('aid.new.submit')}
            >
              <SelectField
                name="partyId"
                label={t('aid.new.applicant')}
                options={free.map((p) => ({
                  value: p.id,
                  label: `${p.name}${p.claimFen !== null ? ` · ${money(p.claimFen)}` : ''}`,
                }))}
                value={party?.id ?? ''}
                onChange={(e) => {
                  setPartyId(e.target.value);
                  setUnpaid(null);
                  setRequested(null);
                }}
                errors={errors?.partyId}
              />
              <SelectField
                name="policyId"
                label={t('aid.new.policy')}
                options={ctx.policies.map((p) => ({ value: p.id, label: p.number }))}
                value={policyId}
                onChange={(e) => setPolicyId(e.target.value)}
                errors={errors?.policyId}
              />
              <SelectField
                name="caseType"
                label={t('aid.claim.caseType')}
                options={AID_CASE_TYPES.filter((c) => !policy || policy.eligibleCaseTypes.includes(c)).map(
                  (c) => ({
                    value: c,
                    label: t(`aidCaseType.${c}`),
                  }),
                )}
                errors={errors?.caseType}
              />
              {/* The ground is the case's own closure; another ground is explained. */}
              {!ctx.zhongben && (
                <TextAreaField
                  name="eligibilityNote"
                  label={t('aid.claim.eligibilityNote')}
                  help={t('aid.new.eligibilityNoteHelp')}
                  rows={2}
                  errors={errors?.eligibilityNote}
                />
              )}
              <SelectField
                name="filedVia"
                label={t('aid.claim.filedVia')}
                options={(['clerk', 'oral'] as const).map((v) => ({
                  value: v,
                  label: t(`aidFiledVia.${v}`),
                }))}
                errors={errors?.filedVia}
              />
              <Field
                name="unpaid"
                label={t('aid.new.unpaid')}
                help={t('aid.new.unpaidHelp')}
                inputMode="decimal"
                required
                value={unpaid}
                onChange={(e) => setUnpaid(e.target.value)}
                errors={errors?.unpaid}
              />
              <p className="notice" aria-live="polite" data-testid="computed-preview">
                {preview === null
                  ? t('aid.new.computedPending')
                  : t('aid.new.computedPreview', { amount: money(preview) })}
              </p>
              <Field
                name="requested"
                label={t('aid.new.requested')}
                inputMode="decimal"
                required
                value={requested}
                onChange={(e) => setRequested(e.target.value)}
                errors={errors?.requested}
              />
              <TextAreaField
                name="hardship"
                label={t('aid.claim.hardship')}
                help={t('aid.new.hardshipHelp')}
                required
                errors={errors?.hardship}
              />
              <FormSection legend={t('aid.claim.account')}>
                <Field
                  name="payeeName"
                  label={t('aid.claim.payeeName')}
                  required
                  key={party?.id}
                  defaultValue={party?.name}
                  errors={errors?.payeeName}
                />
                <Field name="bankName" label={t('aid.claim.bankName')} required errors={errors?.bankName} />
                <Field
                  name="accountNumber"
                  label={t('aid.claim.accountNumber')}
                  inputMode="numeric"
                  autoComplete="off"
                  required
                  errors={errors?.accountNumber}
                />
              </FormSection>
            </PostForm>
          )}
        </>
      )}
    </section>
  );
}
