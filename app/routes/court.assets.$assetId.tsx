import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { depositBounds, isMovable, minStartingPrice, suggestedIncrement } from '../../server/auctions/rules';
import { YuanSchema } from '../../server/cases/schemas';
import { FileList, ListingStatus, useLocale, usePlace } from '../components/court/display';
import { formAction, formRefusal, formRows, formValue, idParam } from '../components/court/route.server';
import { beijingDayAt, fenToYuanInput, roundUp, toBeijingInput } from '../components/court/values';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDate, formatDateTime, formatMoney } from '../utils/format';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.asset.title ?? '查封财产'} · 最后一公里` },
];

const FILE_KINDS = ['photo', 'judgment', 'appraisal_report', 'other'] as const;
const TAX_PAYERS = ['each_by_law', 'buyer_all', 'seller_all'] as const;
const RIGHT_KINDS = ['co_owner', 'lessee', 'shareholder', 'other'] as const;
const IDENTITY_KINDS = ['person', 'organisation'] as const;
/** A purchaser row's fields; a row without a name and an ID number is left out. */
const PURCHASER_FIELDS = ['name', 'rank', 'rightKind', 'identityKind', 'idNumber'] as const;
const PURCHASER_ROWS = [0, 1, 2] as const;
/** What the file input offers; the service checks the bytes themselves (server/storage UPLOAD_RULES). */
const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf';
const TERM_FIELDS = [
  'startingPrice',
  'deposit',
  'increment',
  'announceAt',
  'startsAt',
  'endsAt',
  'balanceDays',
  'specialNotices',
  'taxes',
  'taxPayer',
  'viewing',
  'contact',
  'supervisionLine',
  'purchaseRestricted',
] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const assetId = idParam(params, 'assetId');
  const { durations } = context.services.profile;
  return load(request, async () => {
    // The asset, its rounds, the next round's plan and what this viewer may do, from one read.
    const { asset, rounds, plan, inProgressId, can, listRefusal } =
      await context.services.listings.getAssetForCourt(auth.actor, assetId);
    const chain = rounds
      .sort((a, b) => a.round - b.round || +a.createdAt - +b.createdAt)
      .map((l) => ({
        id: l.id,
        round: l.round,
        kind: l.kind,
        courtStatus: l.courtStatus,
        outcome: l.outcome,
        startingPriceFen: l.startingPriceFen,
        startsAt: l.startsAt,
        currentEndAt: l.currentEndAt,
      }));
    // The next round and its bounds come from the service (the rule createDraft enforces).
    const minStart = plan.available ? plan.minStartFen : minStartingPrice(asset.appraisalFen);
    // Suggested times: now, then the round's announcement lead, bidding for its minimum window.
    const announceAt = roundUp(new Date(), 10);
    const lead = plan.available ? plan.leadMs : durations.announceLeadProperty;
    const startsAt =
      plan.available && plan.kind === 'fixed_price_sale'
        ? announceAt
        : context.services.profile.name === 'statutory'
          ? beijingDayAt(new Date(announceAt.getTime() + lead), 1, 10)
          : roundUp(new Date(announceAt.getTime() + lead), 5);
    const endsAt = new Date(
      startsAt.getTime() + (plan.available ? plan.windowMs : durations.biddingWindowMin),
    );
    return {
      asset,
      chain,
      inProgressId,
      can,
      listRefusal,
      movable: isMovable(asset.type),
      minStartFen: minStart,
      reauction:
        plan.available && plan.previousStartFen !== null
          ? { previousStartFen: plan.previousStartFen, minFen: plan.minStartFen }
          : null,
      defaults: {
        startingPrice: fenToYuanInput(minStart),
        announceAt: toBeijingInput(announceAt),
        startsAt: toBeijingInput(startsAt),
        endsAt: toBeijingInput(endsAt),
      },
    };
  });
}

const UploadSchema = z.object({
  kind: z.enum(FILE_KINDS, { error: 'validation.fileKind' }),
  file: z.instanceof(File, { error: 'validation.required' }),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const assetId = idParam(params, 'assetId');
  const form = await readForm(request, context);
  const intent = form.get('intent');

  if (intent === 'upload') {
    const parsed = UploadSchema.safeParse({ kind: form.get('kind'), file: form.get('file') });
    if (!parsed.success)
      return formRefusal('upload', 400, {
        formError: 'errors.validation',
        fieldErrors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), [i.message]])),
      });
    const { kind, file } = parsed.data;
    return formAction(request, 'upload', async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      await context.services.cases.attachFile(
        auth.actor,
        assetId,
        { kind, filename: file.name, bytes },
        context.meta.requestId,
      );
      throw redirect(`/court/assets/${assetId}?done=uploaded#files`);
    });
  }

  if (intent === 'draft') {
    const purchasers = formRows(form, 'priorityPurchasers', PURCHASER_FIELDS, (r) => !r.name && !r.idNumber);
    const input: Record<string, unknown> = { priorityPurchasers: purchasers.rows };
    for (const f of TERM_FIELDS) input[f] = formValue(form, f);
    return formAction(
      request,
      'draft',
      async () => {
        const listing = await context.services.listings.createDraft(
          auth.actor,
          assetId,
          input,
          context.meta.requestId,
        );
        throw redirect(`/court/listings/${listing.id}?done=draft`);
      },
      { priorityPurchasers: purchasers.index },
    );
  }

  return formRefusal(String(intent), 400, { formError: 'errors.validation' });
}

export default function AssetPage() {
  const data = useLoaderData<typeof loader>();
  const { asset, chain } = data;
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const place = usePlace();
  const uploaded = useDoneMessage('files', ['uploaded']);
  const realEstate = asset.type === 'residential' || asset.type === 'commercial';

  return (
    <section className="page" aria-labelledby="asset-title">
      <PageHead
        id="asset-title"
        title={asset.title}
        back={{ to: `/court/cases/${asset.caseId}`, label: t('assets.backToCase') }}
      />
      <dl className="facts">
        <dt>{t('assets.type')}</dt>
        <dd>{t(`assetType.${asset.type}`)}</dd>
        <dt>{t('assets.location')}</dt>
        <dd>{place(asset.province, asset.city, asset.district, asset.address)}</dd>
        <dt>{t('assets.appraisal')}</dt>
        <dd>{formatMoney(asset.appraisalFen)}</dd>
        <dt>{t('assets.appraisalBasis')}</dt>
        <dd>
          {t(`appraisalBasis.${asset.appraisalBasis}`)}
          {t('assets.asOf', { date: formatDate(`${asset.appraisalDate}T00:00:00+08:00`, locale) })}
        </dd>
        <dt>{t('assets.description')}</dt>
        <dd className="pre">{asset.description}</dd>
        <dt>{t('assets.knownDefects')}</dt>
        <dd className="pre">{asset.knownDefects || t('common.none')}</dd>
        <dt>{t('assets.createdAt')}</dt>
        <dd>{formatDateTime(asset.createdAt, locale)}</dd>
      </dl>

      <h2 id="encumbrances-title">{t('assets.encumbrances')}</h2>
      {asset.encumbrances.length === 0 ? (
        <p className="muted">{t('assets.noEncumbrances')}</p>
      ) : (
        <ul aria-labelledby="encumbrances-title">
          {asset.encumbrances.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list without ids
            <li key={i}>
              <span className="tag">{t(`encumbrance.${e.kind}`)}</span> {e.description}
            </li>
          ))}
        </ul>
      )}

      <h2 id="files">{t('files.title')}</h2>
      <DoneNotice message={uploaded} />
      <FileList files={asset.files} title={asset.title} />
      {data.can.upload && <UploadForm key={`upload-${asset.files.length}`} result={result} />}

      <h2 id="rounds-title">{t('assets.rounds')}</h2>
      <DataTable
        labelledBy="rounds-title"
        rows={chain}
        rowKey={(l) => l.id}
        empty={{ message: t('assets.noRounds'), quiet: true }}
        columns={[
          {
            header: t('listings.round'),
            cell: (l) => <Link to={`/court/listings/${l.id}`}>{t(`round.${l.round}`)}</Link>,
            rowHeader: true,
          },
          {
            header: t('listings.status'),
            cell: (l) => <ListingStatus listing={l} />,
          },
          { header: t('listings.startingPrice'), cell: (l) => formatMoney(l.startingPriceFen) },
          { header: t('listings.startsAt'), cell: (l) => formatDateTime(l.startsAt, locale) },
          { header: t('listings.endsAt'), cell: (l) => formatDateTime(l.currentEndAt, locale, true) },
        ]}
      />

      {data.can.list ? (
        <DraftForm key={`draft-${chain.length}`} result={result} realEstate={realEstate} />
      ) : data.listRefusal === null ? null : data.inProgressId ? (
        <p className="notice">
          {t('assets.roundInProgress')}{' '}
          <Link to={`/court/listings/${data.inProgressId}`}>{t('assets.openRound')}</Link>
        </p>
      ) : (
        <p className="notice">{t(data.listRefusal)}</p>
      )}
    </section>
  );
}

/** Keyed by the number of files, so a successful upload leaves an empty form. */
function UploadForm({ result }: { result: ActionResult | undefined }) {
  const { t } = useTranslation();
  return (
    <PostForm
      encType="multipart/form-data"
      className="stack narrow card"
      aria-labelledby="upload-title"
      heading={<h3 id="upload-title">{t('files.uploadTitle')}</h3>}
      intent="upload"
      result={result}
      submitLabel={t('files.uploadSubmit')}
    >
      {(r) => (
        <>
          <SelectField
            name="kind"
            id="upload-kind"
            label={t('files.kind')}
            options={FILE_KINDS.map((v) => ({ value: v, label: t(`fileKind.${v}`) }))}
            errors={r?.fieldErrors?.kind}
          />
          <Field
            name="file"
            id="upload-file"
            type="file"
            accept={ACCEPT}
            label={t('files.file')}
            help={t('files.fileHelp')}
            required
            errors={r?.fieldErrors?.file}
          />
        </>
      )}
    </PostForm>
  );
}

function DraftForm({ result, realEstate }: { result: ActionResult | undefined; realEstate: boolean }) {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const errors = result?.intent === 'draft' ? result.fieldErrors : undefined;
  const [start, setStart] = useState(data.defaults.startingPrice);
  // The help texts follow the starting price as it is typed (pure rules, the service checks again).
  const parsed = YuanSchema.safeParse(start);
  const startFen = parsed.success && parsed.data > 0n ? parsed.data : BigInt(data.minStartFen);
  const bounds = depositBounds(startFen);
  const startHelp = [
    t('listings.help.minStart', { min: formatMoney(data.minStartFen) }),
    data.reauction &&
      t('listings.help.minReauction', {
        min: formatMoney(data.reauction.minFen),
        previous: formatMoney(data.reauction.previousStartFen),
      }),
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <PostForm
      className="stack narrow"
      sectionTitle={{
        id: 'draft-title',
        text: data.chain.length === 0 ? t('listings.draftTitle') : t('listings.nextDraftTitle'),
      }}
      intent="draft"
      result={result}
      submitLabel={t('listings.createDraft')}
    >
      <FormSection legend={t('listings.prices')}>
        <div className="stack">
          <Field
            name="startingPrice"
            label={t('listings.startingPriceYuan')}
            inputMode="decimal"
            required
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
            help={startHelp}
            errors={errors?.startingPrice}
          />
          <Field
            name="deposit"
            label={t('listings.depositYuan')}
            inputMode="decimal"
            required
            help={t('listings.help.deposit', {
              min: formatMoney(bounds.min),
              max: formatMoney(bounds.max),
            })}
            errors={errors?.deposit}
          />
          <Field
            name="increment"
            label={t('listings.incrementYuan')}
            inputMode="decimal"
            required
            defaultValue={fenToYuanInput(suggestedIncrement(BigInt(data.minStartFen)))}
            help={t('listings.help.increment', { amount: formatMoney(suggestedIncrement(startFen)) })}
            errors={errors?.increment}
          />
        </div>
      </FormSection>
      <FormSection legend={t('listings.times')} help={t('listings.help.beijingTime')}>
        <div className="stack">
          <Field
            name="announceAt"
            type="datetime-local"
            label={t('listings.announceAt')}
            required
            defaultValue={data.defaults.announceAt}
            help={t('listings.help.announceAt')}
            errors={errors?.announceAt}
          />
          <Field
            name="startsAt"
            type="datetime-local"
            label={t('listings.startsAt')}
            required
            defaultValue={data.defaults.startsAt}
            help={t(data.movable ? 'listings.help.startsAtMovable' : 'listings.help.startsAtProperty')}
            errors={errors?.startsAt}
          />
          <Field
            name="endsAt"
            type="datetime-local"
            label={t('listings.endsAt')}
            required
            defaultValue={data.defaults.endsAt}
            help={t('listings.help.endsAt')}
            errors={errors?.endsAt}
          />
          <Field
            name="balanceDays"
            type="number"
            min={1}
            max={90}
            inputMode="numeric"
            label={t('listings.balanceDays')}
            required
            defaultValue={15}
            errors={errors?.balanceDays}
          />
        </div>
      </FormSection>
      <TextAreaField
        name="specialNotices"
        label={t('listings.specialNotices')}
        rows={8}
        required
        defaultValue={t('listings.defaults.specialNotices')}
        help={t('listings.help.specialNotices')}
        errors={errors?.specialNotices}
      />
      <TextAreaField
        name="taxes"
        label={t('listings.taxes')}
        rows={3}
        required
        defaultValue={t('listings.defaults.taxes')}
        errors={errors?.taxes}
      />
      <SelectField
        name="taxPayer"
        label={t('listings.taxPayer')}
        options={TAX_PAYERS.map((v) => ({ value: v, label: t(`taxPayer.${v}`) }))}
        errors={errors?.taxPayer}
      />
      <TextAreaField
        name="viewing"
        label={t('listings.viewing')}
        rows={3}
        required
        defaultValue={t('listings.defaults.viewing')}
        errors={errors?.viewing}
      />
      <Field
        name="contact"
        label={t('listings.contact')}
        help={t('listings.help.contact')}
        required
        errors={errors?.contact}
      />
      <Field
        name="supervisionLine"
        label={t('listings.supervisionLine')}
        help={t('listings.help.supervisionLine')}
        required
        errors={errors?.supervisionLine}
      />
      {realEstate && (
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="purchaseRestricted" aria-describedby="purchase-restricted-help" />{' '}
            {t('listings.purchaseRestricted')}
          </label>
          <p id="purchase-restricted-help" className="field-help">
            {t('listings.help.purchaseRestricted')}
          </p>
        </div>
      )}
      <FormSection
        id="purchasers"
        legend={t('listings.priorityPurchasers')}
        help={t('listings.help.priorityPurchasers')}
        errors={errors?.priorityPurchasers}
      >
        {PURCHASER_ROWS.map((i) => {
          const f = (name: string) => errors?.[`priorityPurchasers.${i}.${name}`];
          return (
            <FormSection key={`purchaser-${i}`} legend={t('listings.purchaserRow', { n: i + 1 })} row>
              <Field
                name={`priorityPurchasers.${i}.name`}
                id={`purchaser-${i}-name`}
                label={t('listings.purchaserName')}
                autoComplete="off"
                errors={f('name')}
              />
              <SelectField
                name={`priorityPurchasers.${i}.rank`}
                id={`purchaser-${i}-rank`}
                label={t('listings.purchaserRank')}
                options={Array.from({ length: 9 }, (_, r) => ({
                  value: String(r + 1),
                  label: String(r + 1),
                }))}
                errors={f('rank')}
              />
              <SelectField
                name={`priorityPurchasers.${i}.rightKind`}
                id={`purchaser-${i}-right`}
                label={t('listings.purchaserRight')}
                options={RIGHT_KINDS.map((v) => ({ value: v, label: t(`priorityRight.${v}`) }))}
                errors={f('rightKind')}
              />
              <SelectField
                name={`priorityPurchasers.${i}.identityKind`}
                id={`purchaser-${i}-identity-kind`}
                label={t('listings.purchaserIdentityKind')}
                options={IDENTITY_KINDS.map((v) => ({ value: v, label: t(`identityKind.${v}`) }))}
                errors={f('identityKind')}
              />
              <Field
                name={`priorityPurchasers.${i}.idNumber`}
                id={`purchaser-${i}-id-number`}
                label={t('listings.purchaserIdNumber')}
                autoComplete="off"
                spellCheck={false}
                help={t('listings.help.purchaserIdNumber')}
                errors={f('idNumber')}
              />
            </FormSection>
          );
        })}
      </FormSection>
    </PostForm>
  );
}
