import { useTranslation } from 'react-i18next';
import { PROPERTY_CATEGORIES, type RECORDABLE_MEASURES } from '../../../server/cases/schemas';
import { formatMoney } from '../../utils/format';
import { Field, SelectField, TextAreaField } from '../forms';
import { FormSection } from '../staff/form-section';

type Recordable = (typeof RECORDABLE_MEASURES)[number];

/** One detail a measure's form asks: its input, and the values of a choice (labelled `caseLife.option.<name>.<value>`). */
interface FieldSpec {
  name: string;
  type: 'text' | 'textarea' | 'select' | 'number' | 'checkbox' | 'checkboxes' | 'yuan';
  options?: readonly string[];
  required?: boolean;
}

const summary: FieldSpec = { name: 'summary', type: 'textarea', required: true };
const documentNumber: FieldSpec = { name: 'documentNumber', type: 'text' };

/** The details each measure records (server/cases/schemas.ts `MEASURE_DETAILS` validates them). */
export const FIELD_SPECS: Record<Recordable, FieldSpec[]> = {
  enforcement_notice: [
    {
      name: 'serviceMethod',
      type: 'select',
      options: ['direct', 'post', 'electronic', 'publication'],
      required: true,
    },
    documentNumber,
  ],
  property_report_order: [{ name: 'reportWithinDays', type: 'number' }, documentNumber],
  property_report: [
    {
      name: 'outcome',
      type: 'select',
      options: ['reported', 'late', 'refused', 'false_report'],
      required: true,
    },
    summary,
  ],
  onsite_check: [
    { name: 'place', type: 'text', required: true },
    { name: 'covers', type: 'checkboxes', options: PROPERTY_CATEGORIES },
    { name: 'propertyHidden', type: 'checkbox' },
    summary,
  ],
  premises_search: [{ name: 'place', type: 'text', required: true }, summary],
  seizure: [
    { name: 'action', type: 'select', options: ['seal', 'seize', 'freeze'], required: true },
    { name: 'property', type: 'text', required: true },
    { name: 'valueFen', type: 'yuan' },
  ],
  consumption_restriction: [{ name: 'persons', type: 'text', required: true }, documentNumber],
  dishonest_listing: [
    { name: 'ground', type: 'select', options: ['1', '2', '3', '4', '5', '6'], required: true },
    { name: 'termMonths', type: 'number' },
    documentNumber,
  ],
  applicant_interview: [
    { name: 'subject', type: 'select', options: ['progress', 'zhongben'], required: true },
    summary,
    { name: 'leads', type: 'textarea' },
    { name: 'requests', type: 'checkboxes', options: ['bounty', 'audit'] },
  ],
  bounty: [{ name: 'reward', type: 'text' }, summary],
  audit: [{ name: 'firm', type: 'text' }, summary],
  whereabouts_search: [summary, { name: 'found', type: 'checkbox' }],
  fine: [
    { name: 'person', type: 'text', required: true },
    { name: 'amountFen', type: 'yuan', required: true },
  ],
  detention: [
    { name: 'person', type: 'text', required: true },
    { name: 'days', type: 'number', required: true },
  ],
  criminal_referral: [summary],
};

/** The inputs of one measure kind, named `details.<name>`, with the service's field errors beside them. */
export function MeasureFields({ kind, errors }: { kind: Recordable; errors?: Record<string, string[]> }) {
  const { t } = useTranslation();
  const label = (name: string) => t(`caseLife.detail.${name}`);
  const option = (name: string, value: string) => t(`caseLife.option.${name}.${value}`);
  return (
    <>
      {FIELD_SPECS[kind].map((f) => {
        const common = { name: `details.${f.name}`, id: `detail-${f.name}`, errors: errors?.[f.name] };
        switch (f.type) {
          case 'textarea':
            return (
              <TextAreaField key={f.name} {...common} label={label(f.name)} rows={3} required={f.required} />
            );
          case 'select':
            return (
              <SelectField
                key={f.name}
                {...common}
                label={label(f.name)}
                options={f.options!.map((v) => ({ value: v, label: option(f.name, v) }))}
              />
            );
          case 'number':
            return (
              <Field
                key={f.name}
                {...common}
                label={label(f.name)}
                inputMode="numeric"
                required={f.required}
              />
            );
          case 'yuan':
            return (
              <Field
                key={f.name}
                {...common}
                label={label(f.name)}
                inputMode="decimal"
                required={f.required}
              />
            );
          case 'checkbox':
            return (
              <div key={f.name} className="field checkbox">
                <label>
                  <input type="checkbox" name={common.name} /> {label(f.name)}
                </label>
              </div>
            );
          case 'checkboxes':
            return (
              <FormSection key={f.name} legend={label(f.name)} errors={common.errors}>
                {f.options!.map((v) => (
                  <label key={v} className="checkbox">
                    <input type="checkbox" name={common.name} value={v} /> {option(f.name, v)}
                  </label>
                ))}
              </FormSection>
            );
          default:
            return <Field key={f.name} {...common} label={label(f.name)} required={f.required} />;
        }
      })}
    </>
  );
}

interface SearchSubject {
  name: string;
  covered?: string[];
  findings?: {
    category: string;
    holder: string;
    description: string;
    valueFen: string | null;
    disposable: boolean;
  }[];
}

/** A measure's details in one line, in the page's language. */
export function MeasureSummary({ kind, details }: { kind: string; details: Record<string, unknown> }) {
  const { t } = useTranslation();
  const option = (name: string) => t(`caseLife.option.${name}.${String(details[name])}`);
  const text = (name: string) => (details[name] ? String(details[name]) : '');
  const parts: string[] = [];
  switch (kind) {
    case 'online_search': {
      const subjects = (details.subjects as SearchSubject[] | undefined) ?? [];
      if (details.periodic) parts.push(t('caseLife.periodicSearch', { n: details.periodic }));
      for (const s of subjects) {
        const covered = (s.covered ?? []).map((c) => t(`caseLife.option.covers.${c}`)).join('、');
        const found = (s.findings ?? []).map(
          (f) =>
            `${t(`caseLife.option.covers.${f.category}`)}：${f.holder} ${f.description}${f.valueFen ? ` ${formatMoney(f.valueFen)}` : ''}`,
        );
        parts.push(
          t('caseLife.searchLine', {
            name: s.name,
            covered,
            found: found.length ? found.join('；') : t('caseLife.nothingFound'),
          }),
        );
      }
      break;
    }
    case 'enforcement_notice':
      parts.push(`${t('caseLife.detail.serviceMethod')}：${option('serviceMethod')}`, text('documentNumber'));
      break;
    case 'property_report':
      parts.push(option('outcome'), text('summary'));
      break;
    case 'seizure':
      parts.push(
        option('action'),
        text('property'),
        details.valueFen ? formatMoney(String(details.valueFen)) : '',
      );
      break;
    case 'dishonest_listing':
      parts.push(option('ground'), text('documentNumber'));
      break;
    case 'applicant_interview':
      parts.push(
        option('subject'),
        text('summary'),
        details.leads ? `${t('caseLife.detail.leads')}：${text('leads')}` : '',
      );
      break;
    case 'fine':
      parts.push(text('person'), formatMoney(String(details.amountFen ?? '0')));
      break;
    case 'detention':
      parts.push(text('person'), t('caseLife.days', { n: details.days }));
      break;
    default:
      parts.push(
        text('place'),
        text('persons'),
        text('firm'),
        text('reward'),
        text('summary'),
        text('documentNumber'),
      );
  }
  return <>{parts.filter(Boolean).join(' · ')}</>;
}
