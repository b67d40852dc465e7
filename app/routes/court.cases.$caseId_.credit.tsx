import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { GROUNDS, MANUAL_DELETION_GROUNDS, RESTRICTED_ITEMS } from '../../server/credit/rules';
import { formAction, formRefusal, formRows, idParam } from '../components/court/route.server';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { ActionBar, ActionForm } from '../components/staff/action-bar';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, answerFor } from '../components/staff/post-form';
import { formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.case.caseNumber ?? ''} 失信与限制消费 · 最后一公里` },
];

const Intent = z.enum([
  'prepareListing',
  'prepareRestriction',
  'decide',
  'serve',
  'correct',
  'delete',
  'revoke',
  'receiveCorrection',
  'sign',
  'addException',
  'lift',
  'decideCorrection',
  'appeal',
]);
type Intent = z.infer<typeof Intent>;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  return load(request, () => context.services.credit.caseCredit(auth.actor, caseId));
}

const PERSON_FIELDS = ['role', 'name', 'idNumber'] as const;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const intent = parsed.data;
  const { intent: _, id: rawId, ...fields } = formObject(form, ['items']);
  const persons = formRows(form, 'persons', PERSON_FIELDS, (r) => !r.name && !r.idNumber);
  const id = z.uuid().safeParse(rawId).data ?? '';
  const credit = context.services.credit;
  const a = auth.actor;
  const run: Record<Intent, () => Promise<unknown>> = {
    prepareListing: () => credit.prepareListing(a, caseId, { ...fields, persons: persons.rows }),
    prepareRestriction: () => credit.prepareRestriction(a, caseId, { ...fields, persons: persons.rows }),
    decide: () => credit.decideListing(a, id),
    serve: () => credit.recordService(a, id, fields),
    correct: () => credit.correctListing(a, id, fields),
    delete: () => credit.deleteListing(a, id, fields),
    revoke: () => credit.revokeListing(a, id, fields),
    receiveCorrection: () => credit.receiveCorrection(a, id, fields),
    sign: () => credit.signRestriction(a, id),
    addException: () => credit.addException(a, id, fields),
    lift: () => credit.liftRestriction(a, id, fields),
    decideCorrection: () => credit.decideCorrection(a, id, fields),
    appeal: () => credit.appealCorrection(a, id, fields),
  };
  return formAction(
    request,
    intent,
    async () => {
      await run[intent]();
      throw redirect(`/court/cases/${caseId}/credit?done=${intent}`);
    },
    { persons: persons.index },
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function SubjectFields({ r, data, prefix }: { r?: ActionResult; data: Data; prefix: string }) {
  const { t } = useTranslation();
  const debtor = data.case.debtor;
  return (
    <>
      <SelectField
        name="subjectKind"
        id={`${prefix}-subjectKind`}
        label={t('credit.field.subjectKind')}
        options={(['person', 'company'] as const).map((k) => ({
          value: k,
          label: t(`credit.subjectKind.${k}`),
        }))}
        defaultValue={debtor?.kind ?? 'person'}
        errors={r?.fieldErrors?.subjectKind}
      />
      <Field
        name="name"
        id={`${prefix}-name`}
        label={t('credit.field.name')}
        defaultValue={debtor?.name}
        required
        errors={r?.fieldErrors?.name}
      />
      <Field
        name="idNumber"
        id={`${prefix}-idNumber`}
        label={t('credit.field.idNumber')}
        help={t('credit.help.idNumber')}
        required
        autoComplete="off"
        errors={r?.fieldErrors?.idNumber}
      />
      <Field
        name="legalRepresentative"
        id={`${prefix}-legalRepresentative`}
        label={t('credit.field.legalRepresentative')}
        help={t('credit.help.legalRepresentative')}
        errors={r?.fieldErrors?.legalRepresentative}
      />
      <FormSection
        legend={t('credit.field.persons')}
        id={`${prefix}-persons`}
        help={t('credit.help.persons')}
        errors={r?.fieldErrors?.persons}
      >
        {[0, 1, 2].map((i) => (
          <FormSection key={i} legend={t('credit.field.person', { n: i + 1 })} row>
            <SelectField
              name={`persons.${i}.role`}
              id={`${prefix}-persons-${i}-role`}
              label={t('credit.field.role')}
              anyLabel="—"
              options={(
                [
                  'legal_representative',
                  'person_in_charge',
                  'directly_responsible',
                  'actual_controller',
                ] as const
              ).map((k) => ({ value: k, label: t(`credit.role.${k}`) }))}
              errors={r?.fieldErrors?.[`persons.${i}.role`]}
            />
            <Field
              name={`persons.${i}.name`}
              id={`${prefix}-persons-${i}-name`}
              label={t('credit.field.personName')}
              errors={r?.fieldErrors?.[`persons.${i}.name`]}
            />
            <Field
              name={`persons.${i}.idNumber`}
              id={`${prefix}-persons-${i}-idNumber`}
              label={t('credit.field.personId')}
              autoComplete="off"
              errors={r?.fieldErrors?.[`persons.${i}.idNumber`]}
            />
          </FormSection>
        ))}
      </FormSection>
    </>
  );
}

function ListingForm({ r, data }: { r?: ActionResult; data: Data }) {
  const { t } = useTranslation();
  const c = data.case;
  return (
    <>
      <SubjectFields r={r} data={data} prefix="listing" />
      <SelectField
        name="ground"
        id="listing-ground"
        label={t('credit.field.ground')}
        options={GROUNDS.map((g) => ({ value: String(g), label: t(`credit.ground.${g}`) }))}
        errors={r?.fieldErrors?.ground}
      />
      <TextAreaField
        name="conduct"
        id="listing-conduct"
        label={t('credit.field.conduct')}
        rows={2}
        required
        errors={r?.fieldErrors?.conduct}
      />
      <TextAreaField
        name="evidence"
        id="listing-evidence"
        label={t('credit.field.evidence')}
        rows={2}
        required
        errors={r?.fieldErrors?.evidence}
      />
      <SelectField
        name="extensionYears"
        id="listing-extensionYears"
        label={t('credit.field.extensionYears')}
        help={t('credit.help.term')}
        options={[0, 1, 2, 3].map((n) => ({ value: String(n), label: t('credit.years', { count: n }) }))}
        errors={r?.fieldErrors?.extensionYears}
      />
      <SelectField
        name="graceMonths"
        id="listing-graceMonths"
        label={t('credit.field.graceMonths')}
        help={t('credit.help.grace')}
        options={[0, 1, 2, 3].map((n) => ({ value: String(n), label: t('credit.months', { count: n }) }))}
        errors={r?.fieldErrors?.graceMonths}
      />
      <label className="checkbox">
        <input type="checkbox" name="securityGiven" /> {t('credit.field.securityGiven')}
      </label>
      <label className="checkbox">
        <input type="checkbox" name="laterInOrder" /> {t('credit.field.laterInOrder')}
      </label>
      <TextAreaField
        name="obligation"
        id="listing-obligation"
        label={t('credit.field.obligation')}
        rows={2}
        required
        errors={r?.fieldErrors?.obligation}
      />
      <Field
        name="titleNumber"
        id="listing-titleNumber"
        label={t('credit.field.titleNumber')}
        defaultValue={c.basis}
        required
        errors={r?.fieldErrors?.titleNumber}
      />
      <Field
        name="titleIssuer"
        id="listing-titleIssuer"
        label={t('credit.field.titleIssuer')}
        defaultValue={c.court.nameZh}
        required
        errors={r?.fieldErrors?.titleIssuer}
      />
      <Field
        name="performed"
        id="listing-performed"
        label={t('credit.field.performed')}
        inputMode="decimal"
        defaultValue="0"
        errors={r?.fieldErrors?.performed}
      />
      <Field
        name="decisionNumber"
        id="listing-decisionNumber"
        label={t('credit.field.decisionNumber')}
        defaultValue={`${c.caseNumber.replace(/号$/, '')}号之一`}
        required
        errors={r?.fieldErrors?.decisionNumber}
      />
      {r?.fieldErrors?.bars && (
        <ul className="field-error" data-testid="bars">
          {r.fieldErrors.bars.map((b) => (
            <li key={b}>{t(b)}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export default function CaseCreditPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation();
  const doneMessage = useDoneMessage('credit.done', Intent.options);
  const c = data.case;
  return (
    <section className="page" aria-labelledby="credit-title">
      <PageHead
        id="credit-title"
        title={t('credit.title', { caseNumber: c.caseNumber })}
        back={{ to: `/court/cases/${c.id}`, label: t('credit.back') }}
      />
      <DoneNotice message={doneMessage} />

      <h2 id="listings-title">{t('credit.listingsTitle')}</h2>
      {data.listings.length === 0 && <p className="muted">{t('credit.noListings')}</p>}
      {data.listings.map((l) => (
        <article
          key={l.id}
          className="card stack"
          aria-label={t('credit.listingLabel', { name: l.name })}
          data-testid="listing"
        >
          <dl className="facts">
            <dt>{t('credit.field.status')}</dt>
            <dd>
              <span className={`tag tag-${l.status}`} data-testid="listing-status">
                {t(`credit.status.${l.status}`)}
              </span>
            </dd>
            <dt>{t('credit.field.name')}</dt>
            <dd>{l.name}</dd>
            <dt>{t('credit.field.idPublished')}</dt>
            <dd>{l.idPublished}</dd>
            <dt>{t('credit.field.ground')}</dt>
            <dd>{t(`credit.ground.${l.ground}`)}</dd>
            <dt>{t('credit.field.term')}</dt>
            <dd>
              {l.termMonths === null ? t('credit.noTerm') : t('credit.months', { count: l.termMonths })}
            </dd>
            <dt>{t('credit.field.decisionNumber')}</dt>
            <dd>{l.decisionNumber}</dd>
            {l.decidedOn && (
              <>
                <dt>{t('credit.field.decidedOn')}</dt>
                <dd>{l.decidedOn}</dd>
                <dt>{t('credit.field.publishOn')}</dt>
                <dd>{l.publishOn}</dd>
              </>
            )}
            {l.expiresOn && (
              <>
                <dt>{t('credit.field.expiresOn')}</dt>
                <dd>{l.expiresOn}</dd>
              </>
            )}
            <dt>{t('credit.field.servedOn')}</dt>
            <dd>{l.servedOn ?? '—'}</dd>
            <dt>{t('credit.field.unperformed')}</dt>
            <dd className="money">{formatMoney(l.unperformedFen)}</dd>
            {l.deletionGround && (
              <>
                <dt>{t('credit.field.deletionGround')}</dt>
                <dd data-testid="deletion-ground">{t(`credit.deletionGround.${l.deletionGround}`)}</dd>
              </>
            )}
          </dl>
          <ActionBar
            key={`${l.id}-${l.status}-${l.version}-${l.servedOn}`}
            can={l.can}
            result={result}
            actions={[
              {
                intent: 'decide',
                label: t('credit.do.decide'),
                help: t('credit.help.decide'),
                hiddenFields: { id: l.id },
              },
              {
                intent: 'serve',
                label: t('credit.do.serve'),
                hiddenFields: { id: l.id },
                fields: (r) => (
                  <>
                    <Field
                      name="servedOn"
                      id={`serve-${l.id}`}
                      type="date"
                      label={t('credit.field.servedOn')}
                      defaultValue={data.today}
                      max={data.today}
                      required
                      errors={r?.fieldErrors?.servedOn}
                    />
                    <SelectField
                      name="method"
                      id={`serve-method-${l.id}`}
                      label={t('credit.field.serviceMethod')}
                      options={(['direct', 'mail', 'electronic', 'public_notice'] as const).map((m) => ({
                        value: m,
                        label: t(`credit.serviceMethod.${m}`),
                      }))}
                      errors={r?.fieldErrors?.method}
                    />
                  </>
                ),
              },
              {
                intent: 'correct',
                label: t('credit.do.correct'),
                help: t('credit.help.correct'),
                hiddenFields: { id: l.id },
                fields: (r) => (
                  <>
                    <Field
                      name="performed"
                      id={`correct-performed-${l.id}`}
                      label={t('credit.field.performed')}
                      inputMode="decimal"
                      errors={r?.fieldErrors?.performed}
                    />
                    <TextAreaField
                      name="conduct"
                      id={`correct-conduct-${l.id}`}
                      label={t('credit.field.conduct')}
                      rows={2}
                      errors={r?.fieldErrors?.conduct}
                    />
                    <TextAreaField
                      name="reason"
                      id={`correct-reason-${l.id}`}
                      label={t('credit.field.reason')}
                      rows={2}
                      required
                      errors={r?.fieldErrors?.reason}
                    />
                  </>
                ),
              },
              {
                intent: 'delete',
                label: t('credit.do.delete'),
                help: t('credit.help.delete'),
                danger: true,
                hiddenFields: { id: l.id },
                fields: (r) => (
                  <>
                    <SelectField
                      name="ground"
                      id={`delete-ground-${l.id}`}
                      label={t('credit.field.deletionGround')}
                      options={MANUAL_DELETION_GROUNDS.map((g) => ({
                        value: g,
                        label: t(`credit.deletionGround.${g}`),
                      }))}
                      errors={r?.fieldErrors?.ground}
                    />
                    <TextAreaField
                      name="reason"
                      id={`delete-reason-${l.id}`}
                      label={t('credit.field.reason')}
                      rows={2}
                      required
                      errors={r?.fieldErrors?.reason}
                    />
                  </>
                ),
              },
              {
                intent: 'revoke',
                label: t('credit.do.revoke'),
                help: t('credit.help.revoke'),
                danger: true,
                hiddenFields: { id: l.id },
                fields: (r) => (
                  <TextAreaField
                    name="reason"
                    id={`revoke-reason-${l.id}`}
                    label={t('credit.field.reason')}
                    rows={2}
                    required
                    errors={r?.fieldErrors?.reason}
                  />
                ),
              },
              {
                intent: 'receiveCorrection',
                label: t('credit.do.receiveCorrection'),
                help: t('credit.help.receiveCorrection'),
                hiddenFields: { id: l.id },
                fields: (r) => (
                  <>
                    <Field
                      name="applicant"
                      id={`corr-applicant-${l.id}`}
                      label={t('credit.field.applicant')}
                      defaultValue={l.name}
                      required
                      errors={r?.fieldErrors?.applicant}
                    />
                    <Field
                      name="receivedOn"
                      id={`corr-received-${l.id}`}
                      type="date"
                      label={t('credit.field.receivedOn')}
                      defaultValue={data.today}
                      max={data.today}
                      required
                      errors={r?.fieldErrors?.receivedOn}
                    />
                    <TextAreaField
                      name="reason"
                      id={`corr-reason-${l.id}`}
                      label={t('credit.field.reason')}
                      rows={2}
                      required
                      errors={r?.fieldErrors?.reason}
                    />
                  </>
                ),
              },
            ]}
          />
          {l.corrections.map((x) => (
            <div key={x.id} className="card stack" data-testid="correction">
              <p>
                {t('credit.correctionLine', {
                  applicant: x.applicant,
                  receivedOn: x.receivedOn,
                  dueOn: x.reviewDueOn,
                })}{' '}
                · <strong>{t(`credit.correctionStatus.${x.status}`)}</strong>
                {x.appealDueOn && ` · ${t('credit.appealDue', { dueOn: x.appealDueOn })}`}
              </p>
              <ActionBar
                key={`${x.id}-${x.status}`}
                can={{ decideCorrection: x.can.decide, appeal: x.can.appeal }}
                result={result}
                actions={[
                  {
                    intent: 'decideCorrection',
                    label: t('credit.do.decideCorrection'),
                    hiddenFields: { id: x.id },
                    fields: (r) => (
                      <>
                        <SelectField
                          name="outcome"
                          id={`corr-outcome-${x.id}`}
                          label={t('credit.field.outcome')}
                          options={(['uphold', 'reject'] as const).map((o) => ({
                            value: o,
                            label: t(`credit.outcome.${o}`),
                          }))}
                        />
                        <TextAreaField
                          name="decision"
                          id={`corr-decision-${x.id}`}
                          label={t('credit.field.decision')}
                          rows={2}
                          required
                          errors={r?.fieldErrors?.decision}
                        />
                      </>
                    ),
                  },
                  {
                    intent: 'appeal',
                    label: t('credit.do.appeal'),
                    help: t('credit.help.appeal'),
                    hiddenFields: { id: x.id },
                    fields: (r) => (
                      <Field
                        name="appealedOn"
                        id={`appeal-${x.id}`}
                        type="date"
                        label={t('credit.field.appealedOn')}
                        defaultValue={data.today}
                        max={data.today}
                        required
                        errors={r?.fieldErrors?.appealedOn}
                      />
                    ),
                  },
                ]}
              />
            </div>
          ))}
        </article>
      ))}

      <h2 id="restrictions-title">{t('credit.restrictionsTitle')}</h2>
      {data.restrictions.length === 0 && <p className="muted">{t('credit.noRestrictions')}</p>}
      {data.restrictions.map((r) => (
        <article
          key={r.id}
          className="card stack"
          aria-label={t('credit.restrictionLabel', { number: r.orderNumber })}
          data-testid="restriction"
        >
          <p>
            <strong>{r.orderNumber}</strong> ·{' '}
            <span className={`tag tag-${r.status}`} data-testid="restriction-status">
              {t(`credit.restrictionStatus.${r.status}`)}
            </span>
            {r.liftGround && ` · ${t(`credit.liftGround.${r.liftGround}`)}`}
          </p>
          <ul aria-label={t('credit.field.persons')}>
            {r.persons.map((p) => (
              <li key={p.id}>
                {t(`credit.role.${p.role}`)}：{p.name}（{p.idPublished}）
              </li>
            ))}
          </ul>
          <p className="muted">{r.items.map((i) => t(`credit.item.${i}`)).join('；')}</p>
          {r.exceptions.length > 0 && (
            <ul aria-label={t('credit.exceptionsTitle')}>
              {r.exceptions.map((e) => (
                <li key={e.id}>
                  {t(`credit.item.${e.item}`)} {e.fromOn}–{e.untilOn}：{e.reason}
                </li>
              ))}
            </ul>
          )}
          <ActionBar
            key={`${r.id}-${r.status}-${r.exceptions.length}`}
            can={r.can}
            result={result}
            actions={[
              { intent: 'sign', label: t('credit.do.sign'), hiddenFields: { id: r.id } },
              {
                intent: 'addException',
                label: t('credit.do.addException'),
                hiddenFields: { id: r.id },
                fields: (x) => (
                  <>
                    <SelectField
                      name="item"
                      id={`exc-item-${r.id}`}
                      label={t('credit.field.item')}
                      options={RESTRICTED_ITEMS.map((i) => ({ value: i, label: t(`credit.item.${i}`) }))}
                    />
                    <Field
                      name="fromOn"
                      id={`exc-from-${r.id}`}
                      type="date"
                      label={t('credit.field.fromOn')}
                      required
                      errors={x?.fieldErrors?.fromOn}
                    />
                    <Field
                      name="untilOn"
                      id={`exc-until-${r.id}`}
                      type="date"
                      label={t('credit.field.untilOn')}
                      required
                      errors={x?.fieldErrors?.untilOn}
                    />
                    <TextAreaField
                      name="reason"
                      id={`exc-reason-${r.id}`}
                      label={t('credit.field.reason')}
                      rows={2}
                      required
                      errors={x?.fieldErrors?.reason}
                    />
                  </>
                ),
              },
              {
                intent: 'lift',
                label: t('credit.do.lift'),
                danger: true,
                hiddenFields: { id: r.id },
                fields: (x) => (
                  <SelectField
                    name="ground"
                    id={`lift-ground-${r.id}`}
                    label={t('credit.field.liftGround')}
                    options={(['security', 'consent', 'full_performance'] as const).map((g) => ({
                      value: g,
                      label: t(`credit.liftGround.${g}`),
                    }))}
                    errors={x?.fieldErrors?.ground}
                  />
                ),
              },
            ]}
          />
        </article>
      ))}

      {data.can.prepare && (
        <>
          <h2 id="prepare-title">{t('credit.prepareTitle')}</h2>
          <div className="actions">
            <ActionForm
              intent="prepareListing"
              label={t('credit.do.prepareListing')}
              help={t('credit.help.prepareListing')}
              result={answerFor(result, 'prepareListing')}
            >
              {(r) => <ListingForm r={r} data={data} />}
            </ActionForm>
            <ActionForm
              intent="prepareRestriction"
              label={t('credit.do.prepareRestriction')}
              help={t('credit.help.prepareRestriction')}
              result={answerFor(result, 'prepareRestriction')}
            >
              {(r) => (
                <>
                  <SubjectFields r={r} data={data} prefix="restriction" />
                  <Field
                    name="orderNumber"
                    id="restriction-orderNumber"
                    label={t('credit.field.orderNumber')}
                    required
                    errors={r?.fieldErrors?.orderNumber}
                  />
                  <FormSection
                    legend={t('credit.field.items')}
                    id="restriction-items"
                    errors={r?.fieldErrors?.items}
                  >
                    {RESTRICTED_ITEMS.map((i) => (
                      <label key={i} className="checkbox">
                        <input type="checkbox" name="items" value={i} defaultChecked />{' '}
                        {t(`credit.item.${i}`)}
                      </label>
                    ))}
                  </FormSection>
                </>
              )}
            </ActionForm>
          </div>
        </>
      )}
    </section>
  );
}
