import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import {
  CLOSURE_MODES,
  INTERVAL_KINDS,
  PROPERTY_CATEGORIES,
  RECORDABLE_MEASURES,
} from '../../../server/cases/schemas';
import type { CaseService } from '../../../server/cases/service';
import type { TimeLimit } from '../../../server/cases/time-limit';
import { formatMoney } from '../../utils/format';
import { Field, SelectField, TextAreaField } from '../forms';
import { ActionForm } from '../staff/action-bar';
import { DataTable } from '../staff/data-table';
import { FormSection } from '../staff/form-section';
import type { ActionResult } from '../staff/post-form';
import { answerFor, PostForm } from '../staff/post-form';
import { MeasureFields, MeasureSummary } from './measure-fields';

export type CaseView = Awaited<ReturnType<CaseService['getCase']>>;

/**
 * The answer of a form on one row of a table: the action labels it `<intent>:<row id>`, so only
 * that row's form shows it.
 */
function rowAnswer(result: ActionResult | undefined, intent: string, id: string) {
  return result?.intent === `${intent}:${id}` ? { ...result, intent } : undefined;
}
type Recordable = (typeof RECORDABLE_MEASURES)[number];

/** The time limit in one sentence: days left, overdue, stopped, or how the closed case did. */
export function Countdown({ limit }: { limit: TimeLimit | null }) {
  const { t } = useTranslation();
  if (!limit) return <>{t('caseLife.noLimit')}</>;
  if (limit.netDays !== null)
    return (
      <>
        {t(limit.withinLimit ? 'caseLife.closedWithin' : 'caseLife.closedOver', {
          net: limit.netDays,
          excluded: limit.excludedDays,
        })}
      </>
    );
  if (limit.overdue) return <>{t('caseLife.overdueBy', { n: -(limit.daysLeft ?? 0), due: limit.dueOn })}</>;
  return (
    <>
      {t(limit.paused ? 'caseLife.pausedLeft' : 'caseLife.daysLeft', { n: limit.daysLeft, due: limit.dueOn })}
    </>
  );
}

export function TimeLimitSection({ c, result }: { c: CaseView; result?: ActionResult }) {
  const { t } = useTranslation();
  const who = (id: string | null) => (id ? (c.staffNames[id] ?? '—') : t('caseLife.bySystem'));
  return (
    <section aria-labelledby="limit-title">
      <h2 id="limit-title">{t('caseLife.limitTitle')}</h2>
      <p className={c.limit?.overdue ? 'notice overdue' : 'notice'} data-testid="countdown">
        <Countdown limit={c.limit} />
      </p>
      {c.limit && (
        <dl className="facts">
          <dt>{t('caseLife.limitMonths')}</dt>
          <dd>{t('caseLife.months', { n: c.limit.months })}</dd>
          <dt>{t('caseLife.grossDue')}</dt>
          <dd>{c.limit.grossDueOn}</dd>
          <dt>{t('caseLife.excludedDays')}</dt>
          <dd>{t('caseLife.days', { n: c.limit.excludedDays })}</dd>
          <dt>{t('caseLife.dueOn')}</dt>
          <dd data-testid="due-on">{c.limit.dueOn}</dd>
        </dl>
      )}
      <h3 id="intervals-title">{t('caseLife.intervalsTitle')}</h3>
      <DataTable
        labelledBy="intervals-title"
        rows={c.intervals}
        rowKey={(i) => i.id ?? `${i.listingId}-${i.start}`}
        empty={{ message: t('caseLife.noIntervals'), quiet: true }}
        columns={[
          { header: t('caseLife.intervalKind'), cell: (i) => t(`intervalKind.${i.kind}`), rowHeader: true },
          { header: t('caseLife.from'), cell: (i) => i.start },
          { header: t('caseLife.to'), cell: (i) => i.end ?? t('caseLife.running') },
          {
            header: t('caseLife.reason'),
            className: 'wrap',
            cell: (i) =>
              i.listingId ? (
                <Link to={`/court/listings/${i.listingId}`}>{t('caseLife.fromListing')}</Link>
              ) : (
                i.reason
              ),
          },
          {
            header: t('caseLife.actions'),
            cell: (i) =>
              i.canEnd && i.id ? (
                <ActionForm
                  intent="endInterval"
                  label={t('caseLife.endInterval')}
                  titled={false}
                  hiddenFields={{ intervalId: i.id }}
                  result={rowAnswer(result, 'endInterval', i.id)}
                >
                  {(r) => (
                    <Field
                      name="endsOn"
                      id={`ends-${i.id}`}
                      type="date"
                      label={t('caseLife.endsOn')}
                      defaultValue={c.today}
                      errors={r?.fieldErrors?.endsOn}
                    />
                  )}
                </ActionForm>
              ) : null,
          },
        ]}
      />
      {c.extensions.length > 0 && (
        <>
          <h3 id="extensions-title">{t('caseLife.extensionsTitle')}</h3>
          <DataTable
            labelledBy="extensions-title"
            rows={c.extensions}
            rowKey={(e) => e.id}
            columns={[
              { header: t('caseLife.approvedOn'), cell: (e) => e.approvedOn, rowHeader: true },
              { header: t('caseLife.extensionMonths'), cell: (e) => t('caseLife.months', { n: e.months }) },
              { header: t('caseLife.authority'), cell: (e) => t(`caseLife.option.authority.${e.authority}`) },
              { header: t('caseLife.reason'), cell: (e) => e.reason, className: 'wrap' },
              {
                header: t('caseLife.approvedBy'),
                cell: (e) => `${who(e.approvedBy)}${e.reference ? ` · ${e.reference}` : ''}`,
              },
            ]}
          />
        </>
      )}
      <div className="actions">
        {c.can.manageIntervals && (
          <ActionForm
            intent="startInterval"
            label={t('caseLife.startInterval')}
            help={t('caseLife.startIntervalHelp')}
            result={answerFor(result, 'startInterval')}
          >
            {(r) => (
              <>
                <SelectField
                  name="kind"
                  id="interval-kind"
                  label={t('caseLife.intervalKind')}
                  options={INTERVAL_KINDS.map((k) => ({ value: k, label: t(`intervalKind.${k}`) }))}
                  errors={r?.fieldErrors?.kind}
                />
                <Field
                  name="startsOn"
                  id="interval-starts"
                  type="date"
                  label={t('caseLife.startsOn')}
                  defaultValue={c.today}
                  errors={r?.fieldErrors?.startsOn}
                />
                <Field
                  name="endsOn"
                  id="interval-ends"
                  type="date"
                  label={t('caseLife.endsOnOptional')}
                  errors={r?.fieldErrors?.endsOn}
                />
                <Field
                  name="reason"
                  id="interval-reason"
                  label={t('caseLife.reason')}
                  errors={r?.fieldErrors?.reason}
                />
              </>
            )}
          </ActionForm>
        )}
        {c.can.extend && (
          <ActionForm
            intent="extend"
            label={t('caseLife.extend')}
            help={t('caseLife.extendHelp')}
            result={answerFor(result, 'extend')}
          >
            {(r) => (
              <>
                <Field
                  name="months"
                  id="extend-months"
                  inputMode="numeric"
                  label={t('caseLife.extensionMonths')}
                  errors={r?.fieldErrors?.months}
                />
                <SelectField
                  name="authority"
                  id="extend-authority"
                  label={t('caseLife.authority')}
                  options={(['president', 'high_court'] as const).map((v) => ({
                    value: v,
                    label: t(`caseLife.option.authority.${v}`),
                  }))}
                  errors={r?.fieldErrors?.authority}
                />
                <Field
                  name="reference"
                  id="extend-reference"
                  label={t('caseLife.reference')}
                  errors={r?.fieldErrors?.reference}
                />
                <Field
                  name="reason"
                  id="extend-reason"
                  label={t('caseLife.reason')}
                  errors={r?.fieldErrors?.reason}
                />
              </>
            )}
          </ActionForm>
        )}
      </div>
    </section>
  );
}

export function MeasuresSection({
  c,
  result,
  kind,
}: {
  c: CaseView;
  result?: ActionResult;
  kind: Recordable | null;
}) {
  const { t } = useTranslation();
  const who = (id: string | null) => (id ? (c.staffNames[id] ?? '—') : t('caseLife.bySystem'));
  const answer = answerFor(result, 'recordMeasure');
  return (
    <section aria-labelledby="measures-title">
      <h2 id="measures-title">{t('caseLife.measuresTitle')}</h2>
      <DataTable
        labelledBy="measures-title"
        rows={c.measures}
        rowKey={(m) => m.id}
        empty={{ message: t('caseLife.noMeasures'), quiet: true }}
        columns={[
          { header: t('caseLife.takenOn'), cell: (m) => m.takenOn },
          { header: t('caseLife.measureKind'), cell: (m) => t(`measureKind.${m.kind}`), rowHeader: true },
          {
            header: t('caseLife.measureContent'),
            cell: (m) => <MeasureSummary kind={m.kind} details={m.details} />,
            className: 'wrap',
          },
          { header: t('caseLife.takenBy'), cell: (m) => who(m.takenBy) },
          {
            header: t('caseLife.evidence'),
            cell: (m) =>
              m.files.length ? (
                <ul className="plain">
                  {m.files.map((f) => (
                    <li key={f.id}>
                      <a href={`/court/evidence/${f.id}`}>{f.filename}</a>
                    </li>
                  ))}
                </ul>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <div className="actions">
        {c.can.search && (
          <ActionForm
            intent="search"
            label={t('caseLife.search')}
            help={t('caseLife.searchHelp')}
            result={answerFor(result, 'search')}
          >
            <FormSection legend={t('caseLife.searchCategories')}>
              {PROPERTY_CATEGORIES.map((v) => (
                <label key={v} className="checkbox">
                  <input type="checkbox" name="categories" value={v} defaultChecked />{' '}
                  {t(`caseLife.option.covers.${v}`)}
                </label>
              ))}
            </FormSection>
          </ActionForm>
        )}
        {c.can.recordMeasure && (
          <section className="stack card" aria-labelledby="record-measure-title" id="record-measure">
            <h3 id="record-measure-title">{t('caseLife.recordMeasure')}</h3>
            {/* The kind first (a GET form, so it works without script), then that kind's own fields. */}
            <Form
              method="get"
              className="filter-bar"
              aria-label={t('caseLife.chooseMeasure')}
              preventScrollReset
            >
              <SelectField
                name="measure"
                id="measure-kind"
                label={t('caseLife.measureKind')}
                options={RECORDABLE_MEASURES.map((k) => ({ value: k, label: t(`measureKind.${k}`) }))}
                defaultValue={kind ?? undefined}
              />
              <button type="submit" className="button button-secondary">
                {t('caseLife.chooseMeasureSubmit')}
              </button>
            </Form>
            {kind && (
              <PostForm
                key={kind}
                className="stack"
                encType="multipart/form-data"
                intent="recordMeasure"
                hiddenFields={{ kind }}
                result={answer}
                aria-label={t('caseLife.recordMeasureOf', { kind: t(`measureKind.${kind}`) })}
                submitLabel={t('caseLife.recordSubmit')}
              >
                {(r) => (
                  <>
                    <Field
                      name="takenOn"
                      id="measure-taken-on"
                      type="date"
                      label={t('caseLife.takenOn')}
                      defaultValue={c.today}
                      errors={r?.fieldErrors?.takenOn}
                    />
                    <MeasureFields kind={kind} errors={r?.fieldErrors} />
                    <Field
                      name="note"
                      id="measure-note"
                      label={t('caseLife.note')}
                      errors={r?.fieldErrors?.note}
                    />
                    <Field
                      name="file"
                      id="measure-file"
                      type="file"
                      label={t('caseLife.evidenceFile')}
                      help={t('caseLife.evidenceHelp')}
                      accept="application/pdf,image/jpeg,image/png,image/webp"
                      errors={r?.fieldErrors?.file}
                    />
                  </>
                )}
              </PostForm>
            )}
          </section>
        )}
      </div>
    </section>
  );
}

export function ChecklistSection({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const list = c.checklist;
  if (!list) return null;
  return (
    <section aria-labelledby="checklist-title">
      <h2 id="checklist-title">{t('caseLife.checklistTitle')}</h2>
      <p className="field-help">{t(c.closureMode ? 'caseLife.checklistClosed' : 'caseLife.checklistHelp')}</p>
      <ul className="checklist" data-testid="checklist">
        {list.conditions.map((cond) => (
          <li key={cond.key} className={cond.met ? 'met' : 'missing'} data-testid={`condition-${cond.key}`}>
            <strong>
              {cond.met ? t('caseLife.met') : t('caseLife.missing')} {t(`zhongbenCondition.${cond.key}`)}
            </strong>
            {cond.gaps.length > 0 && (
              <span className="muted">
                {' '}
                — {cond.gaps.map((g) => t(`zhongbenGap.${g.key}`, formatGap(t, g.params))).join('；')}
              </span>
            )}
            {cond.evidence.length > 0 && (
              <div className="muted">
                {t('caseLife.evidenceOn', {
                  list: cond.evidence.map((e) => `${t(`measureKind.${e.kind}`)} ${e.takenOn}`).join('、'),
                })}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function formatGap(t: (k: string) => string, params?: Record<string, string>) {
  if (!params) return {};
  return {
    ...params,
    ...(params.categories && {
      categories: params.categories
        .split(',')
        .map((c) => t(`caseLife.option.covers.${c}`))
        .join('、'),
    }),
  };
}

/** Closing, resuming, answering a re-search's finding. */
export function ClosureSection({ c, result }: { c: CaseView; result?: ActionResult }) {
  const { t } = useTranslation();
  if (!c.can.close && !c.can.resume && !c.can.dismissResumption) return null;
  return (
    <section aria-labelledby="closure-title">
      <h2 id="closure-title">{t('caseLife.closureTitle')}</h2>
      <div className="actions">
        {c.can.close && (
          <ActionForm
            intent="close"
            label={t('caseLife.close')}
            help={t('caseLife.closeHelp')}
            result={answerFor(result, 'close')}
            formatParams={(p) => ({ ...p, amount: p.amountFen ? formatMoney(String(p.amountFen)) : '' })}
          >
            {(r) => (
              <>
                {r?.fieldErrors?.conditions && (
                  <ul className="field-error" data-testid="close-missing">
                    {r.fieldErrors.conditions.map((k) => (
                      <li key={k}>{t(k)}</li>
                    ))}
                  </ul>
                )}
                <SelectField
                  name="mode"
                  id="close-mode"
                  label={t('caseLife.closureMode')}
                  options={CLOSURE_MODES.map((m) => ({ value: m, label: t(`closureMode.${m}`) }))}
                  errors={r?.fieldErrors?.mode}
                />
                <Field
                  name="closedOn"
                  id="close-on"
                  type="date"
                  label={t('caseLife.closedOn')}
                  defaultValue={c.today}
                  errors={r?.fieldErrors?.closedOn}
                />
                <Field
                  name="recovered"
                  id="close-recovered"
                  inputMode="decimal"
                  label={t('caseLife.recoveredYuan')}
                  help={t('caseLife.recoveredHelp')}
                  errors={r?.fieldErrors?.recovered}
                />
                <Field
                  name="unpaid"
                  id="close-unpaid"
                  inputMode="decimal"
                  label={t('caseLife.unpaidYuan')}
                  help={t('caseLife.unpaidHelp')}
                  errors={r?.fieldErrors?.unpaid}
                />
                <Field
                  name="ruling"
                  id="close-ruling"
                  label={t('caseLife.ruling')}
                  errors={r?.fieldErrors?.ruling}
                />
                <SelectField
                  name="confirmation"
                  id="close-confirmation"
                  label={t('caseLife.confirmation')}
                  options={(['applicant_signed', 'president_approved'] as const).map((v) => ({
                    value: v,
                    label: t(`caseLife.option.confirmation.${v}`),
                  }))}
                  errors={r?.fieldErrors?.confirmation}
                />
                <TextAreaField
                  name="reason"
                  id="close-reason"
                  rows={2}
                  label={t('caseLife.closureReason')}
                  errors={r?.fieldErrors?.reason}
                />
              </>
            )}
          </ActionForm>
        )}
        {c.can.resume && (
          <ActionForm
            intent="resume"
            label={t('caseLife.resume')}
            help={t('caseLife.resumeHelp')}
            result={answerFor(result, 'resume')}
          >
            {(r) => (
              <>
                <Field
                  name="caseNumber"
                  id="resume-number"
                  label={t('caseLife.resumeNumber')}
                  errors={r?.fieldErrors?.caseNumber}
                />
                <Field
                  name="filedOn"
                  id="resume-filed"
                  type="date"
                  label={t('caseLife.filedOn')}
                  defaultValue={c.today}
                  errors={r?.fieldErrors?.filedOn}
                />
                <Field
                  name="reason"
                  id="resume-reason"
                  label={t('caseLife.reason')}
                  errors={r?.fieldErrors?.reason}
                />
              </>
            )}
          </ActionForm>
        )}
        {c.can.dismissResumption && (
          <ActionForm
            intent="dismissResumption"
            label={t('caseLife.dismissResumption')}
            danger
            result={answerFor(result, 'dismissResumption')}
          >
            {(r) => (
              <Field
                name="reason"
                id="dismiss-reason"
                label={t('caseLife.reason')}
                errors={r?.fieldErrors?.reason}
              />
            )}
          </ActionForm>
        )}
      </div>
    </section>
  );
}

export function ComplaintsSection({ c, result }: { c: CaseView; result?: ActionResult }) {
  const { t } = useTranslation();
  const who = (id: string | null) => (id ? (c.staffNames[id] ?? '—') : '—');
  return (
    <section aria-labelledby="complaints-title">
      <h2 id="complaints-title">{t('caseLife.complaintsTitle')}</h2>
      <DataTable
        labelledBy="complaints-title"
        rows={c.complaints}
        rowKey={(x) => x.id}
        rowProps={(x) => ({ className: x.overdue ? 'overdue' : undefined })}
        empty={{ message: t('caseLife.noComplaints'), quiet: true }}
        columns={[
          { header: t('caseLife.receivedOn'), cell: (x) => x.receivedOn, rowHeader: true },
          {
            header: t('caseLife.complainant'),
            cell: (x) => `${x.complainant}（${t(`complaintChannel.${x.channel}`)}）`,
          },
          { header: t('caseLife.complaintSummary'), cell: (x) => x.summary, className: 'wrap' },
          {
            header: t('caseLife.complaintStatus'),
            cell: (x) => (
              <>
                {t(`complaintStatus.${x.status}`)}
                {x.assignedTo && ` · ${who(x.assignedTo)}`}
                {x.overdue && ` · ${t('caseLife.complaintOverdue')}`}
              </>
            ),
          },
          { header: t('caseLife.complaintDue'), cell: (x) => x.dueOn },
          {
            header: t('caseLife.complaintOutcome'),
            className: 'wrap',
            cell: (x) =>
              x.status === 'settled' ? (
                `${x.settledOn} ${x.outcome}`
              ) : (
                <>
                  {x.can.assign && c.colleagues.length > 0 && (
                    <ActionForm
                      intent="assignComplaint"
                      label={t('caseLife.assign')}
                      titled={false}
                      hiddenFields={{ complaintId: x.id }}
                      result={rowAnswer(result, 'assignComplaint', x.id)}
                    >
                      {(r) => (
                        <SelectField
                          name="assigneeId"
                          id={`assignee-${x.id}`}
                          label={t('caseLife.assignee')}
                          options={c.colleagues.map((u) => ({ value: u.id, label: u.realName }))}
                          errors={r?.fieldErrors?.assigneeId}
                        />
                      )}
                    </ActionForm>
                  )}
                  {x.can.settle && (
                    <ActionForm
                      intent="settleComplaint"
                      label={t('caseLife.settle')}
                      titled={false}
                      hiddenFields={{ complaintId: x.id }}
                      result={rowAnswer(result, 'settleComplaint', x.id)}
                    >
                      {(r) => (
                        <Field
                          name="outcome"
                          id={`outcome-${x.id}`}
                          label={t('caseLife.complaintOutcome')}
                          errors={r?.fieldErrors?.outcome}
                        />
                      )}
                    </ActionForm>
                  )}
                </>
              ),
          },
        ]}
      />
      {c.can.receiveComplaint && (
        <div className="actions">
          <ActionForm
            intent="receiveComplaint"
            label={t('caseLife.receiveComplaint')}
            help={t('caseLife.receiveComplaintHelp')}
            result={answerFor(result, 'receiveComplaint')}
          >
            {(r) => (
              <>
                <SelectField
                  name="channel"
                  id="complaint-channel"
                  label={t('caseLife.channel')}
                  options={(['visit', 'letter', 'phone', 'online'] as const).map((v) => ({
                    value: v,
                    label: t(`complaintChannel.${v}`),
                  }))}
                  errors={r?.fieldErrors?.channel}
                />
                <Field
                  name="complainant"
                  id="complaint-complainant"
                  label={t('caseLife.complainant')}
                  errors={r?.fieldErrors?.complainant}
                />
                <TextAreaField
                  name="summary"
                  id="complaint-summary"
                  rows={2}
                  label={t('caseLife.complaintSummary')}
                  errors={r?.fieldErrors?.summary}
                />
                <Field
                  name="receivedOn"
                  id="complaint-received"
                  type="date"
                  label={t('caseLife.receivedOn')}
                  defaultValue={c.today}
                  errors={r?.fieldErrors?.receivedOn}
                />
              </>
            )}
          </ActionForm>
        </div>
      )}
    </section>
  );
}

/** Money of the closure, for the facts list. */
export const moneyOrDash = (fen: bigint | null) => (fen === null ? '—' : formatMoney(fen));
