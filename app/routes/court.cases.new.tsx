import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { TITLE_KINDS } from '../../server/cases/schemas';
import { beijingDateOf } from '../../server/cases/time-limit';
import { requirePermission } from '../../server/identity/permissions';
import { formAction, formRows, formValue } from '../components/court/route.server';
import { Field, SelectField } from '../components/forms';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { beijingWallClock } from '../utils/format';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: '新建执行案件 · 最后一公里' }];

/** Two rows per role are offered; blank rows are ignored. */
const PARTY_ROWS = [
  { role: 'applicant', n: 1 },
  { role: 'applicant', n: 2 },
  { role: 'respondent', n: 1 },
  { role: 'respondent', n: 2 },
] as const;
const PARTY_FIELDS = ['role', 'kind', 'name', 'idNumberMasked', 'claim'] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    requirePermission(auth.actor, 'create:case');
    // The year in Beijing, for the example case number.
    const year = beijingWallClock(Date.now()).getUTCFullYear();
    return { courtCode: auth.user.organisation?.code ?? '', year, today: beijingDateOf(new Date()) };
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  // Role and kind always arrive (hidden input, select): a row counts when something was typed.
  const parties = formRows(form, 'parties', PARTY_FIELDS, (r) => !r.name && !r.idNumberMasked && !r.claim);
  const input = {
    caseNumber: formValue(form, 'caseNumber'),
    basis: formValue(form, 'basis'),
    titleKind: formValue(form, 'titleKind'),
    filedOn: formValue(form, 'filedOn'),
    amountOwed: formValue(form, 'amountOwed'),
    parties: parties.rows,
  };
  return formAction(
    request,
    'create',
    async () => {
      const created = await context.services.cases.createCase(auth.actor, input, context.meta.requestId);
      throw redirect(`/court/cases/${created.id}`);
    },
    { parties: parties.index },
  );
}

export default function NewCase() {
  const { courtCode, year, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = result?.fieldErrors;
  const kinds = [
    { value: 'person', label: t('cases.partyKind.person') },
    { value: 'company', label: t('cases.partyKind.company') },
  ];
  return (
    <section className="page narrow" aria-labelledby="new-case-title">
      <PageHead
        id="new-case-title"
        title={t('cases.newTitle')}
        back={{ to: '/court/cases', label: t('cases.backToList') }}
      />
      <PostForm className="stack" result={result} submitLabel={t('cases.createSubmit')}>
        <Field
          name="caseNumber"
          label={t('cases.caseNumber')}
          help={t('cases.caseNumberHelp', { example: `(${year})${courtCode}执1号`, code: courtCode })}
          autoComplete="off"
          required
          errors={errors?.caseNumber}
        />
        <Field
          name="basis"
          label={t('cases.basis')}
          help={t('cases.basisHelp')}
          required
          errors={errors?.basis}
        />
        <SelectField
          name="titleKind"
          label={t('caseLife.titleKind')}
          help={t('caseLife.titleKindHelp')}
          options={TITLE_KINDS.map((k) => ({ value: k, label: t(`titleKind.${k}`) }))}
          errors={errors?.titleKind}
        />
        <Field
          name="filedOn"
          type="date"
          label={t('caseLife.filedOn')}
          help={t('caseLife.filedOnHelp')}
          defaultValue={today}
          errors={errors?.filedOn}
        />
        <Field
          name="amountOwed"
          label={t('cases.amountOwedYuan')}
          inputMode="decimal"
          required
          errors={errors?.amountOwed}
        />
        <FormSection
          id="parties"
          legend={t('cases.parties')}
          help={t('cases.partiesHelp')}
          errors={errors?.parties}
        >
          {PARTY_ROWS.map(({ role, n }, i) => {
            const f = (name: string) => errors?.[`parties.${i}.${name}`];
            return (
              <FormSection
                key={`${role}-${n}`}
                legend={t('cases.partyRow', { role: t(`partyRole.${role}`), n })}
                row
              >
                <input type="hidden" name={`parties.${i}.role`} value={role} />
                <Field
                  name={`parties.${i}.name`}
                  id={`party-${i}-name`}
                  label={t('cases.partyName')}
                  autoComplete="off"
                  errors={f('name')}
                />
                <SelectField
                  name={`parties.${i}.kind`}
                  id={`party-${i}-kind`}
                  label={t('cases.partyKindLabel')}
                  options={kinds}
                  defaultValue="person"
                  errors={f('kind')}
                />
                <Field
                  name={`parties.${i}.idNumberMasked`}
                  id={`party-${i}-id`}
                  label={t('cases.idNumber')}
                  help={i === 0 ? t('cases.idNumberHelp') : undefined}
                  autoComplete="off"
                  errors={f('idNumberMasked')}
                />
                {role === 'applicant' && (
                  <Field
                    name={`parties.${i}.claim`}
                    id={`party-${i}-claim`}
                    label={t('cases.claimYuan')}
                    inputMode="decimal"
                    errors={f('claim')}
                  />
                )}
              </FormSection>
            );
          })}
        </FormSection>
      </PostForm>
    </section>
  );
}
