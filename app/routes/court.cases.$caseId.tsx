import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { LabelledValue, useLocale, usePlace } from '../components/court/display';
import { formAction, formRows, formValue, idParam } from '../components/court/route.server';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.caseNumber ?? '执行案件'} · 最后一公里` },
];

const ASSET_TYPES = [
  'residential',
  'commercial',
  'land_use_right',
  'vehicle',
  'equity',
  'machinery',
  'other_movable',
] as const;
const ENCUMBRANCE_KINDS = ['mortgage', 'lease', 'occupancy', 'seizure', 'other'] as const;
const APPRAISAL_BASES = ['appraisal_report', 'price_inquiry', 'agreement'] as const;
/** Form rows offered for encumbrances (the schema allows more; three cover the usual cases). */
const ENCUMBRANCE_ROWS = [0, 1, 2] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  return load(request, () => context.services.cases.getCase(auth.actor, caseId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  const form = await readForm(request, context);
  // The kind is a select that always has a value: a row counts once it is described.
  const encumbrances = formRows(form, 'encumbrances', ['kind', 'description'], (r) => !r.description);
  const field = (name: string) => formValue(form, name);
  const input = {
    type: field('type'),
    title: field('title'),
    province: field('province'),
    city: field('city'),
    district: field('district'),
    address: field('address'),
    description: field('description'),
    knownDefects: field('knownDefects'),
    encumbrances: encumbrances.rows,
    appraisal: field('appraisal'),
    appraisalBasis: field('appraisalBasis'),
    appraisalDate: field('appraisalDate'),
  };
  return formAction(
    request,
    'createAsset',
    async () => {
      const asset = await context.services.cases.createAsset(
        auth.actor,
        caseId,
        input,
        context.meta.requestId,
      );
      throw redirect(`/court/assets/${asset.id}`);
    },
    { encumbrances: encumbrances.index },
  );
}

export default function CasePage() {
  const c = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const place = usePlace();
  const errors = result?.fieldErrors;
  return (
    <section className="page" aria-labelledby="case-title">
      <PageHead
        id="case-title"
        title={c.caseNumber}
        back={{ to: '/court/cases', label: t('cases.backToList') }}
      />
      <dl className="facts">
        <dt>{t('cases.basis')}</dt>
        <dd>{c.basis}</dd>
        <dt>{t('cases.amountOwed')}</dt>
        <dd>{formatMoney(c.amountOwedFen)}</dd>
        <dt>{t('cases.status')}</dt>
        <dd>{t(`caseStatus.${c.status}`)}</dd>
        <dt>{t('cases.createdAt')}</dt>
        <dd>{formatDateTime(c.createdAt, locale)}</dd>
      </dl>
      <p>
        <Link to={`/court/cases/${c.id}/account`}>{t('courtMoney.account.link')}</Link>
      </p>

      <h2 id="parties-title">{t('cases.parties')}</h2>
      <DataTable
        labelledBy="parties-title"
        rows={c.parties}
        rowKey={(p) => p.id}
        columns={[
          { header: t('cases.partyRole'), cell: (p) => t(`partyRole.${p.role}`) },
          { header: t('cases.partyName'), cell: (p) => p.name, rowHeader: true },
          { header: t('cases.partyKindLabel'), cell: (p) => t(`cases.partyKind.${p.kind}`) },
          { header: t('cases.idNumber'), cell: (p) => p.idNumberMasked ?? t('common.none') },
          { header: t('cases.claim'), cell: (p) => (p.claimFen === null ? '—' : formatMoney(p.claimFen)) },
        ]}
      />

      <h2 id="assets-title">{t('assets.listTitle')}</h2>
      {c.assets.length === 0 ? (
        <p className="muted">{t('assets.none')}</p>
      ) : (
        <ul className="cards" aria-labelledby="assets-title">
          {c.assets.map((a) => (
            <li key={a.id} className="card">
              <p>
                <Link to={`/court/assets/${a.id}`}>{a.title}</Link>
              </p>
              <p className="muted">
                <span className="tag">{t(`assetType.${a.type}`)}</span>{' '}
                {place(a.province, a.city, a.district)}
              </p>
              <p>
                <LabelledValue label={t('assets.appraisal')} value={formatMoney(a.appraisalFen)} />
              </p>
            </li>
          ))}
        </ul>
      )}

      {c.can.addAsset && (
        <PostForm
          className="stack narrow"
          sectionTitle={{ id: 'add-asset-title', text: t('assets.addTitle') }}
          result={result}
          submitLabel={t('assets.createSubmit')}
        >
          <SelectField
            name="type"
            label={t('assets.type')}
            options={ASSET_TYPES.map((v) => ({ value: v, label: t(`assetType.${v}`) }))}
            defaultValue="residential"
            errors={errors?.type}
          />
          <Field
            name="title"
            label={t('assets.titleLabel')}
            help={t('assets.titleHelp')}
            required
            errors={errors?.title}
          />
          <FormSection legend={t('assets.location')}>
            <div className="row-fields">
              <Field
                name="province"
                label={t('assets.province')}
                autoComplete="address-level1"
                required
                errors={errors?.province}
              />
              <Field
                name="city"
                label={t('assets.city')}
                autoComplete="address-level2"
                required
                errors={errors?.city}
              />
              <Field
                name="district"
                label={t('assets.district')}
                autoComplete="address-level3"
                errors={errors?.district}
              />
            </div>
            <Field
              name="address"
              label={t('assets.address')}
              autoComplete="off"
              required
              errors={errors?.address}
            />
          </FormSection>
          <TextAreaField
            name="description"
            label={t('assets.description')}
            help={t('assets.descriptionHelp')}
            required
            errors={errors?.description}
          />
          <TextAreaField
            name="knownDefects"
            label={t('assets.knownDefects')}
            help={t('assets.knownDefectsHelp')}
            rows={3}
            errors={errors?.knownDefects}
          />
          <FormSection
            id="encumbrances"
            legend={t('assets.encumbrances')}
            help={t('assets.encumbrancesHelp')}
            errors={errors?.encumbrances}
          >
            {ENCUMBRANCE_ROWS.map((i) => (
              <FormSection key={`encumbrance-${i}`} legend={t('assets.encumbranceRow', { n: i + 1 })} row>
                <SelectField
                  name={`encumbrances.${i}.kind`}
                  id={`encumbrance-${i}-kind`}
                  label={t('assets.encumbranceKind')}
                  options={ENCUMBRANCE_KINDS.map((v) => ({ value: v, label: t(`encumbrance.${v}`) }))}
                  errors={errors?.[`encumbrances.${i}.kind`]}
                />
                <Field
                  name={`encumbrances.${i}.description`}
                  id={`encumbrance-${i}-description`}
                  label={t('assets.encumbranceDescription')}
                  errors={errors?.[`encumbrances.${i}.description`]}
                />
              </FormSection>
            ))}
          </FormSection>
          <Field
            name="appraisal"
            label={t('assets.appraisalYuan')}
            inputMode="decimal"
            required
            errors={errors?.appraisal}
          />
          <SelectField
            name="appraisalBasis"
            label={t('assets.appraisalBasis')}
            options={APPRAISAL_BASES.map((v) => ({ value: v, label: t(`appraisalBasis.${v}`) }))}
            errors={errors?.appraisalBasis}
          />
          <Field
            name="appraisalDate"
            type="date"
            label={t('assets.appraisalDate')}
            required
            errors={errors?.appraisalDate}
          />
        </PostForm>
      )}
    </section>
  );
}
