import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import type { SaleStep } from '../../../server/sales/rules';
import { useLaterMessages } from '../../i18n/i18n';
import { formatDate, formatDateTime, formatMoney } from '../../utils/format';
import { DAYS, useServerNow } from '../public/countdown';
import { clockText, remaining } from '../public/time';

/** A moment as the loader delivered it (a Date, or its ISO string). */
type When = Date | string;
/** A step as the page receives it: `SaleStep` with its moments possibly serialised. */
export type StepView = Omit<SaleStep, 'at' | 'dueAt' | 'scheduledFor'> & {
  at: When | null;
  dueAt: When | null;
  scheduledFor?: When;
};

/** A `YYYY-MM-DD` Beijing day, as the page's language writes dates. */
export const formatDay = (day: string, locale: Locale) => formatDate(`${day}T00:00:00+08:00`, locale);

/**
 * A deadline: its date and, once the page knows the server's clock, the time left (not announced:
 * it ticks). Overdue is what the deadline's job marked, never this browser's guess.
 */
/** What the deadline shows once it ticks (ADR 004: shipped with the page). */
const TICKING = ['sales.deadline.left', 'sales.deadline.reached'];

export function Deadline({
  due,
  overdue,
  offset,
  locale,
}: {
  due: When;
  overdue: boolean;
  offset: number | null;
  locale: Locale;
}) {
  const { t } = useTranslation();
  useLaterMessages(TICKING, DAYS);
  const now = useServerNow(offset);
  const left = now === null ? null : remaining(new Date(due).getTime(), now);
  return (
    <span className="deadline">
      <time dateTime={new Date(due).toISOString()}>{formatDateTime(due, locale)}</time>
      {overdue ? (
        <>
          {' '}
          <span className="tag tag-overdue">{t('sales.deadline.overdue')}</span>
        </>
      ) : (
        left && (
          <span className="deadline-left">
            {' · '}
            {left.total === 0
              ? t('sales.deadline.reached')
              : `${t('sales.deadline.left')} ${left.days > 0 ? `${t('countdown.days', { count: left.days })} ` : ''}${clockText(left)}`}
          </span>
        )
      )}
    </span>
  );
}

/**
 * Each step after the hammer with its date and deadline: the court's sale page and the buyer's
 * pages show the same list (the steps come decided from the service, `saleSteps`).
 */
export function SaleSteps({
  steps,
  locale,
  offset,
  labelledBy,
}: {
  steps: readonly StepView[];
  locale: Locale;
  offset: number | null;
  labelledBy: string;
}) {
  const { t } = useTranslation();
  return (
    <ol className="sale-steps" aria-labelledby={labelledBy}>
      {steps.map((s) => (
        <li
          key={s.key}
          className={`sale-step step-${s.state}`}
          data-testid={`step-${s.key}`}
          aria-current={s.state === 'current' ? 'step' : undefined}
        >
          <div className="step-head">
            <span className="step-name">{t(`sales.steps.${s.key}`)}</span>
            <span className={`tag state-${s.state}`}>{t(`sales.steps.state.${s.state}`)}</span>
            {s.at && <time dateTime={new Date(s.at).toISOString()}>{formatDateTime(s.at, locale)}</time>}
            {s.day && <time dateTime={s.day}>{formatDay(s.day, locale)}</time>}
          </div>
          {s.state !== 'done' && s.dueAt && (
            <p className="step-detail" data-testid={`due-${s.key}`}>
              {t('sales.steps.dueLabel')}
              <Deadline due={s.dueAt} overdue={s.overdue} offset={offset} locale={locale} />
            </p>
          )}
          {s.key === 'handover' && s.state === 'upcoming' && !s.dueAt && (
            <p className="step-detail">{t('sales.steps.handoverWithin')}</p>
          )}
          <StepDetail step={s} locale={locale} />
        </li>
      ))}
    </ol>
  );
}

function StepDetail({ step: s, locale }: { step: StepView; locale: Locale }) {
  const { t } = useTranslation();
  const line = (text: string) => <p className="step-detail">{text}</p>;
  const amount = s.amountFen ? formatMoney(s.amountFen) : '';
  if (s.number) return line(t('sales.steps.number', { number: s.number }));
  if (s.outcome === 'passed') return line(t('sales.steps.passed'));
  if (s.outcome === 'failed') return line(t('sales.steps.failed', { reason: s.reason ?? '' }));
  if (s.outcome === 'obstructed') return line(t('sales.steps.obstructed', { reason: s.reason ?? '' }));
  if (s.outcome === 'defaulted') return line(t('sales.road.defaulted', { amount }));
  if (s.outcome === 'scheduled' && s.scheduledFor)
    return line(
      t('sales.steps.scheduled', { at: formatDateTime(s.scheduledFor, locale), place: s.place ?? '' }),
    );
  if (s.key === 'handover' && s.state === 'current') return line(t('sales.steps.notScheduled'));
  // The road after the sale (server/sales/road.ts): amounts, and the periods still to come.
  if (s.key === 'balance' && amount)
    return line(t(s.state === 'done' ? 'sales.road.balancePaid' : 'sales.road.balanceDue', { amount }));
  if (s.key === 'balance') return line(t('live.balancePending'));
  if (s.key === 'ruling' && s.state === 'upcoming' && !s.dueAt) return line(t('sales.road.rulingWithin'));
  if (s.key === 'title') return line(t('sales.road.title'));
  if (s.key === 'depositRelease')
    return line(
      t(s.state === 'done' ? 'sales.road.depositReleased' : 'sales.road.depositReleasing', { amount }),
    );
  return null;
}

export interface RecordEntry {
  id: number;
  kind: string;
  at: When;
  data: Record<string, string>;
  /** The staff member who took the step (the court's pages only); null for the system. */
  by?: string | null;
}

/** The sale's record: each step as it happened; with `by`, who took it (the court sees its staff). */
export function SaleRecord({
  entries,
  locale,
  labelledBy,
}: {
  entries: readonly RecordEntry[];
  locale: Locale;
  labelledBy: string;
}) {
  const { t } = useTranslation();
  const time = (v: string | undefined) => (v ? formatDateTime(v, locale) : '');
  return (
    <ol className="timeline" aria-labelledby={labelledBy}>
      {entries.map((e) => {
        const d = e.data;
        const params = {
          due: time(d.rulingDueAt ?? d.dueAt),
          day: d.servedOn || d.handedOverOn ? formatDay((d.servedOn ?? d.handedOverOn)!, locale) : '',
          at: time(d.scheduledFor),
          place: d.place ?? '',
          reason: d.reason ?? '',
          number: d.number ?? '',
        };
        return (
          <li key={e.id}>
            <strong>{t(`sales.record.${e.kind}`, params)}</strong>{' '}
            <span className="muted">
              <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, locale)}</time>
              {e.by !== undefined && ` · ${e.by ?? t('sales.sale.bySystem')}`}
            </span>
            {d.note && <div className="pre">{t('sales.record.note', { note: d.note })}</div>}
          </li>
        );
      })}
    </ol>
  );
}
