import { useTranslation } from 'react-i18next';
import type { ListingService } from '../../../server/auctions/listings';
import { formatDateTime } from '../../utils/format';
import { useLocale } from '../court/display';
import { fenToYuanInput } from '../court/values';
import { Field, SelectField, TextAreaField } from '../forms';
import { DataTable } from '../staff/data-table';
import { DoneNotice, useDoneMessage } from '../staff/done-notice';
import { FormSection } from '../staff/form-section';
import { type ActionResult, PostForm } from '../staff/post-form';
import { ArrearsList, OccupancyText, TaxEstimateTable } from './disclosure-facts';
import { disclosureView } from './view';

type CourtListing = Awaited<ReturnType<ListingService['getForCourt']>>;
type Slots = Awaited<ReturnType<ListingService['viewingsForCourt']>>;

/** The intents of the disclosure desk, posted to the court's listing page. */
export const DISCLOSURE_INTENTS = ['disclose', 'offerViewing'] as const;
/** How many arrear rows the form offers (the service takes up to 20). */
const ARREAR_ROWS = [0, 1, 2] as const;
export const ARREAR_FIELDS = ['kind', 'description', 'amount', 'payer'] as const;

/**
 * The clerk's disclosure desk on the listing page (ADR 029): the checklist the service computed,
 * what the announcement will show, the form while the listing is a draft, and the viewing slots
 * with who booked them.
 */
export function DisclosureDesk({
  disclosure: d,
  slots,
  can,
  result,
}: {
  disclosure: CourtListing['disclosure'];
  slots: Slots;
  can: { disclose: boolean; offerViewing: boolean };
  result: ActionResult | undefined;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const done = useDoneMessage('disclosure.done', DISCLOSURE_INTENTS);
  const missing = d.checklist.filter((c) => !c.done).length;
  const view = disclosureView(d);
  const when = (v: Date | string) => formatDateTime(v, locale);
  return (
    <section aria-labelledby="disclosure-title" className="stack">
      <h2 id="disclosure-title">{t('disclosure.title')}</h2>
      <DoneNotice message={done} />
      <p className="field-help">{t('disclosure.courtIntro')}</p>

      <div className={missing ? 'notice notice-warning' : 'notice'} data-testid="disclosure-checklist">
        <h3 id="checklist-title">{t('disclosure.checklist.title')}</h3>
        <p>
          {missing
            ? t('disclosure.checklist.incomplete', { count: missing })
            : t('disclosure.checklist.complete')}
        </p>
        <ul aria-labelledby="checklist-title">
          {d.checklist.map((c) => (
            <li key={c.item}>
              <span className={`tag ${c.done ? 'tag-done' : 'tag-missing'}`}>
                {c.done ? t('disclosure.checklist.done') : t('disclosure.checklist.missing')}
              </span>{' '}
              {t(`disclosure.checklist.items.${c.item}`)}
            </li>
          ))}
        </ul>
      </div>

      <dl className="facts" aria-label={t('disclosure.title')}>
        <dt>{t('disclosure.occupancy.label')}</dt>
        <dd>
          <OccupancyText disclosure={view} />
        </dd>
        <dt>{t('disclosure.arrears.title')}</dt>
        <dd>
          <ArrearsList disclosure={view} />
        </dd>
        <dt>{t('disclosure.loan.label')}</dt>
        <dd>
          {t(`disclosure.loan.${d.loanSupported === null ? 'unstated' : d.loanSupported ? 'yes' : 'no'}`)}
        </dd>
        <dt>{t('disclosure.restricted.label')}</dt>
        <dd>{t(`disclosure.restricted.${d.purchaseRestricted ? 'yes' : 'no'}`)}</dd>
      </dl>
      <TaxEstimateTable disclosure={view} />

      {can.disclose && (
        <details className="card" open={result?.intent === 'disclose' || d.occupancy === null}>
          <summary>{t('disclosure.edit')}</summary>
          <PostForm
            intent="disclose"
            result={result}
            submitLabel={t('disclosure.save')}
            aria-label={t('disclosure.edit')}
          >
            {(r) => <DisclosureFields disclosure={d} errors={r?.fieldErrors} />}
          </PostForm>
        </details>
      )}

      <h3 id="slots-title">{t('disclosure.viewing.slots')}</h3>
      {slots.length === 0 && <p className="muted">{t('disclosure.viewing.none')}</p>}
      {slots.map((s) => {
        const time = `${when(s.startsAt)} – ${when(s.endsAt)}`;
        return (
          <div key={s.id} className="card" data-testid="viewing-slot">
            <p>
              <strong>{time}</strong> · {s.place} ·{' '}
              {t('disclosure.viewing.seatsLeft', { n: s.capacity - s.booked, total: s.capacity })}
            </p>
            <DataTable
              caption={t('disclosure.viewing.bookingsOf', { time })}
              rows={s.bookings}
              rowKey={(b) => b.id}
              empty={{ message: t('disclosure.viewing.noBookings'), quiet: true }}
              columns={[
                { header: t('disclosure.viewing.name'), cell: (b) => b.name, rowHeader: true },
                { header: t('disclosure.viewing.contact'), cell: (b) => b.phone ?? b.email },
                { header: t('disclosure.viewing.bookedAt'), cell: (b) => when(b.bookedAt) },
              ]}
            />
          </div>
        );
      })}
      {can.offerViewing && (
        <details className="card" open={result?.intent === 'offerViewing'}>
          <summary>{t('disclosure.viewing.offerTitle')}</summary>
          <PostForm
            intent="offerViewing"
            result={result}
            submitLabel={t('disclosure.viewing.offer')}
            aria-label={t('disclosure.viewing.offerTitle')}
          >
            {(r) => (
              <>
                <Field
                  name="startsAt"
                  id="slot-startsAt"
                  type="datetime-local"
                  label={t('disclosure.viewing.startsAt')}
                  help={t('disclosure.viewing.timesHelp')}
                  required
                  errors={r?.fieldErrors?.startsAt}
                />
                <Field
                  name="endsAt"
                  id="slot-endsAt"
                  type="datetime-local"
                  label={t('disclosure.viewing.endsAt')}
                  required
                  errors={r?.fieldErrors?.endsAt}
                />
                <Field
                  name="place"
                  id="slot-place"
                  label={t('disclosure.viewing.place')}
                  required
                  errors={r?.fieldErrors?.place}
                />
                <Field
                  name="capacity"
                  id="slot-capacity"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={500}
                  label={t('disclosure.viewing.capacity')}
                  help={t('disclosure.viewing.capacityHelp')}
                  required
                  defaultValue="10"
                  errors={r?.fieldErrors?.capacity}
                />
              </>
            )}
          </PostForm>
        </details>
      )}
    </section>
  );
}

function DisclosureFields({
  disclosure: d,
  errors,
}: {
  disclosure: CourtListing['disclosure'];
  errors: Record<string, string[]> | undefined;
}) {
  const { t } = useTranslation();
  const kinds = ['property_fees', 'utilities', 'other'] as const;
  const payers = ['buyer', 'proceeds'] as const;
  return (
    <>
      <SelectField
        name="occupancy"
        id="disclosure-occupancy"
        label={t('disclosure.occupancy.label')}
        anyLabel=""
        options={(['vacant', 'owner_occupied', 'tenant', 'other'] as const).map((v) => ({
          value: v,
          label: t(`disclosure.occupancy.${v}`),
        }))}
        defaultValue={d.occupancy ?? ''}
        required
        errors={errors?.occupancy}
      />
      <Field
        name="leaseEndsOn"
        id="disclosure-lease-ends"
        type="date"
        label={t('disclosure.leaseEndsOn')}
        defaultValue={d.leaseEndsOn ?? ''}
        errors={errors?.leaseEndsOn}
      />
      <Field
        name="monthlyRent"
        id="disclosure-rent"
        inputMode="decimal"
        label={t('disclosure.monthlyRent')}
        defaultValue={d.monthlyRentFen === null ? '' : fenToYuanInput(d.monthlyRentFen)}
        errors={errors?.monthlyRent}
      />
      <TextAreaField
        name="occupancyNote"
        id="disclosure-occupancy-note"
        label={t('disclosure.occupancyNote')}
        rows={2}
        defaultValue={d.occupancyNote ?? ''}
        errors={errors?.occupancyNote}
      />
      <FormSection
        id="disclosure-arrears"
        legend={t('disclosure.arrears.title')}
        help={t('disclosure.arrears.help')}
        errors={errors?.arrears}
      >
        {ARREAR_ROWS.map((i) => {
          const a = d.arrears[i];
          const f = (name: string) => errors?.[`arrears.${i}.${name}`];
          return (
            <FormSection key={`arrear-${i}`} legend={t('disclosure.arrears.row', { n: i + 1 })} row>
              <SelectField
                name={`arrears.${i}.kind`}
                id={`arrear-${i}-kind`}
                label={t('disclosure.arrears.kind')}
                anyLabel=""
                options={kinds.map((v) => ({ value: v, label: t(`disclosure.arrears.kinds.${v}`) }))}
                defaultValue={a?.kind ?? ''}
                errors={f('kind')}
              />
              <Field
                name={`arrears.${i}.description`}
                id={`arrear-${i}-description`}
                label={t('disclosure.arrears.description')}
                defaultValue={a?.description ?? ''}
                errors={f('description')}
              />
              <Field
                name={`arrears.${i}.amount`}
                id={`arrear-${i}-amount`}
                inputMode="decimal"
                label={t('disclosure.arrears.amount')}
                defaultValue={a ? fenToYuanInput(a.amountFen) : ''}
                errors={f('amount')}
              />
              <SelectField
                name={`arrears.${i}.payer`}
                id={`arrear-${i}-payer`}
                label={t('disclosure.arrears.payer')}
                anyLabel=""
                options={payers.map((v) => ({ value: v, label: t(`disclosure.arrears.payers.${v}`) }))}
                defaultValue={a?.payer ?? ''}
                errors={f('payer')}
              />
            </FormSection>
          );
        })}
      </FormSection>
      <SelectField
        name="loanSupported"
        id="disclosure-loan"
        label={t('disclosure.loan.label')}
        options={[
          { value: '', label: t('disclosure.loan.unstated') },
          { value: 'yes', label: t('disclosure.loan.yes') },
          { value: 'no', label: t('disclosure.loan.no') },
        ]}
        defaultValue={d.loanSupported === null ? '' : d.loanSupported ? 'yes' : 'no'}
        errors={errors?.loanSupported}
      />
    </>
  );
}
