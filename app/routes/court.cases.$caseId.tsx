import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { RECORDABLE_MEASURES } from '../../server/cases/schemas';
import {
  ChecklistSection,
  ClosureSection,
  ComplaintsSection,
  Countdown,
  MeasuresSection,
  moneyOrDash,
  TimeLimitSection,
} from '../components/cases/case-sections';
import { LabelledValue, useLocale, usePlace } from '../components/court/display';
import { formAction, formRefusal, formRows, formValue, idParam } from '../components/court/route.server';
import { DivisionPicker } from '../components/division-picker';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { answerFor, PostForm } from '../components/staff/post-form';
import { StatusTag } from '../components/staff/status-tag';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

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

const MeasureQuery = z.object({ measure: z.enum(RECORDABLE_MEASURES).nullable().catch(null) });

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  const { measure } = MeasureQuery.parse({ measure: new URL(request.url).searchParams.get('measure') });
  return load(request, async () => ({
    ...(await context.services.cases.getCase(auth.actor, caseId)),
    measureKind: measure,
    // From the seizure to the closure on one timeline: auction rounds, the sale, the funds.
    story: await context.services.funds.caseStory(auth.actor, caseId),
  }));
}

const Intent = z.enum([
  'createAsset',
  'recordMeasure',
  'search',
  'startInterval',
  'endInterval',
  'extend',
  'close',
  'resume',
  'dismissResumption',
  'receiveComplaint',
  'assignComplaint',
  'settleComplaint',
]);
type Intent = z.infer<typeof Intent>;
/** Where each success lands on the page. */
const SECTION: Partial<Record<Intent, string>> = {
  recordMeasure: 'measures-title',
  search: 'measures-title',
  startInterval: 'limit-title',
  endInterval: 'limit-title',
  extend: 'limit-title',
  receiveComplaint: 'complaints-title',
  assignComplaint: 'complaints-title',
  settleComplaint: 'complaints-title',
};
const DONE = [...Intent.options, 'resumed'] as string[];

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  const form = await readForm(request, context);
  // The asset form predates intents: a post without one registers an asset.
  const parsed = Intent.safeParse(form.get('intent') ?? 'createAsset');
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const intent = parsed.data;
  if (intent === 'createAsset') return createAssetAction(request, context, auth.actor, caseId, form);
  const cases = context.services.cases;
  const fields = formObject(form, ['categories', 'details.covers', 'details.requests']);
  const requestId = context.meta.requestId;
  const rowId = String(form.get('intervalId') ?? form.get('complaintId') ?? '');
  const run: Record<Exclude<Intent, 'createAsset'>, () => Promise<unknown>> = {
    recordMeasure: async () => {
      const details: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) if (k.startsWith('details.')) details[k.slice(8)] = v;
      const file = form.get('file');
      const evidence =
        file instanceof File && file.size > 0
          ? { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }
          : null;
      return cases.recordMeasure(
        auth.actor,
        caseId,
        { kind: fields.kind, takenOn: fields.takenOn, note: fields.note, details },
        evidence,
        requestId,
      );
    },
    search: () => cases.runPropertySearch(auth.actor, caseId, { categories: fields.categories }, requestId),
    startInterval: () => cases.startInterval(auth.actor, caseId, fields, requestId),
    endInterval: () => cases.endInterval(auth.actor, rowId, fields, requestId),
    extend: () => cases.extendLimit(auth.actor, caseId, fields, requestId),
    close: () => cases.closeCase(auth.actor, caseId, fields, requestId),
    resume: async () => {
      const resumed = await cases.resumeCase(auth.actor, caseId, fields, requestId);
      throw redirect(`/court/cases/${resumed.id}?done=resumed`);
    },
    dismissResumption: () => cases.dismissResumption(auth.actor, caseId, fields, requestId),
    receiveComplaint: () => cases.receiveComplaint(auth.actor, caseId, fields, requestId),
    assignComplaint: () => cases.assignComplaint(auth.actor, rowId, fields, requestId),
    settleComplaint: () => cases.settleComplaint(auth.actor, rowId, fields, requestId),
  };
  const perRow = intent === 'endInterval' || intent === 'assignComplaint' || intent === 'settleComplaint';
  return formAction(request, perRow ? `${intent}:${rowId}` : intent, async () => {
    await run[intent]();
    const section = SECTION[intent];
    throw redirect(`/court/cases/${caseId}?done=${intent}${section ? `#${section}` : ''}`);
  });
}

async function createAssetAction(
  request: Request,
  context: ActionFunctionArgs['context'],
  actor: Parameters<ActionFunctionArgs['context']['services']['cases']['createAsset']>[0],
  caseId: string,
  form: FormData,
) {
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
      const asset = await context.services.cases.createAsset(actor, caseId, input, context.meta.requestId);
      throw redirect(`/court/assets/${asset.id}`);
    },
    { encumbrances: encumbrances.index },
  );
}

type StoryEntry = { key: string; at: Date | string; kind: string; amountFen: bigint | null; detail: string };

/** The case's whole story (funds.caseStory): each entry worded from its source's catalog. */
function CaseStory({ entries }: { entries: StoryEntry[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = (e: StoryEntry) => {
    const [source, ...rest] = e.kind.split('.');
    const kind = rest.join('.');
    if (source === 'measure')
      return t('funds.story.measure', { kind: t(`measureKind.${kind}`, { defaultValue: kind }) });
    if (source === 'round')
      return kind === 'announced'
        ? t('funds.story.announced', { round: e.detail })
        : t('funds.story.ended', { status: t(`listingStatus.${kind}`, { defaultValue: kind }) });
    if (source === 'sale') {
      const special = {
        opened: 'opened',
        ruling_overdue: 'rulingOverdue',
        handover_overdue: 'handoverOverdue',
      }[kind];
      return special
        ? t(`funds.story.${special}`)
        : t('funds.story.sale', { step: t(`saleStatus.${kind}`, { defaultValue: kind }) });
    }
    return t(`funds.event.${kind}`, { defaultValue: kind });
  };
  return (
    <section aria-labelledby="story-title">
      <h2 id="story-title">{t('funds.story.title')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('funds.story.none')}</p>
      ) : (
        <ol className="timeline" aria-labelledby="story-title" data-testid="case-story">
          {entries.map((e) => (
            <li key={e.key}>
              <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, locale)}</time> {label(e)}
              {e.amountFen !== null && <span className="money"> {formatMoney(e.amountFen)}</span>}
              {e.detail && !e.kind.startsWith('round.') && <span> · {e.detail}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export default function CasePage() {
  const c = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const place = usePlace();
  const done = useDoneMessage('caseLife.done', DONE);
  const assetAnswer = answerFor(result, 'createAsset');
  const errors = assetAnswer?.fieldErrors;
  const stopped = c.intervals.find(
    (i) => i.id && i.running && (i.kind === 'suspension' || i.kind === 'postponement'),
  );
  return (
    <section className="page" aria-labelledby="case-title">
      <PageHead
        id="case-title"
        title={c.caseNumber}
        back={{ to: '/court/cases', label: t('cases.backToList') }}
      >
        <StatusTag catalog="caseStatus" value={c.status} />
        {stopped && <span className="tag">{t(`intervalKind.${stopped.kind}`)}</span>}
      </PageHead>
      <DoneNotice message={done} />
      {c.readOnly && (
        <p className="notice">
          {t('caseLife.readOnly', { court: i18n.language === 'en' ? c.court.nameEn : c.court.nameZh })}
        </p>
      )}
      {c.resumptionDueOn && (
        <p className="notice overdue" data-testid="resumption-due">
          {t('caseLife.resumptionDue', { due: c.resumptionDueOn })}
        </p>
      )}
      <dl className="facts">
        <dt>{t('caseLife.caseType')}</dt>
        <dd>{t(`caseType.${c.caseType ?? 'first'}`)}</dd>
        <dt>{t('cases.basis')}</dt>
        <dd>{c.basis}</dd>
        <dt>{t('caseLife.titleKind')}</dt>
        <dd>{t(`titleKind.${c.titleKind}`)}</dd>
        <dt>{t('cases.amountOwed')}</dt>
        <dd>{formatMoney(c.amountOwedFen)}</dd>
        <dt>{t('caseLife.filedOn')}</dt>
        <dd data-testid="filed-on">{c.filedOn}</dd>
        <dt>{t('cases.status')}</dt>
        <dd>{t(`caseStatus.${c.status}`)}</dd>
        <dt>{t('caseLife.limitTitle')}</dt>
        <dd>
          <Countdown limit={c.limit} />
        </dd>
        {c.closureMode && (
          <>
            <dt>{t('caseLife.closure')}</dt>
            <dd data-testid="closure">
              {t(`closureMode.${c.closureMode}`)} · {c.closedOn}
              {c.closureRuling && ` · ${c.closureRuling}`}
              {c.closureReason && ` · ${c.closureReason}`}
            </dd>
            <dt>{t('caseLife.recovered')}</dt>
            <dd>{moneyOrDash(c.recoveredFen)}</dd>
            {c.unpaidFen !== null && (
              <>
                <dt>{t('caseLife.unpaid')}</dt>
                <dd>{moneyOrDash(c.unpaidFen)}</dd>
              </>
            )}
          </>
        )}
        {c.resumedFrom && (
          <>
            <dt>{t('caseLife.resumedFrom')}</dt>
            <dd>
              <Link to={`/court/cases/${c.resumedFrom.id}`}>{c.resumedFrom.caseNumber}</Link>
            </dd>
          </>
        )}
        {c.resumedBy && (
          <>
            <dt>{t('caseLife.resumedBy')}</dt>
            <dd>
              <Link to={`/court/cases/${c.resumedBy.id}`}>{c.resumedBy.caseNumber}</Link>
            </dd>
          </>
        )}
      </dl>
      <p>
        {!c.readOnly && (
          <>
            <Link to={`/court/cases/${c.id}/account`}>{t('courtMoney.account.link')}</Link> ·{' '}
            <Link to={`/court/cases/${c.id}/funds`}>{t('funds.page.link')}</Link> ·{' '}
          </>
        )}
        <Link to={`/court/cases/${c.id}/credit`}>{t('credit.link')}</Link> ·{' '}
        <Link to={`/court/cases/${c.id}/bounty`}>{t('bounties.link')}</Link>
      </p>

      <TimeLimitSection c={c} result={result} />
      <MeasuresSection c={c} result={result} kind={c.measureKind} />
      <ChecklistSection c={c} />
      <ClosureSection c={c} result={result} />
      <ComplaintsSection c={c} result={result} />
      <CaseStory entries={c.story} />

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
          intent="createAsset"
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
              <DivisionPicker
                province={{ name: 'province', label: t('assets.province'), errors: errors?.province }}
                city={{ name: 'city', label: t('assets.city'), errors: errors?.city }}
                anyProvince={t('assets.chooseProvince')}
                anyCity={t('assets.chooseCity')}
                required
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
