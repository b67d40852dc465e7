import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatMoney } from '../../utils/format';
import { useLocale } from '../court/display';

/**
 * The server's time now, ticking once hydrated. The first render (server and browser alike)
 * uses the loader's `serverTime`, so hydration matches; afterwards the browser's clock is
 * corrected by the offset measured at load.
 */
export function useServerNow(serverTime: Date | string): number {
  const base = new Date(serverTime).getTime();
  const [now, setNow] = useState(base);
  useEffect(() => {
    const offset = base - Date.now();
    const timer = setInterval(() => setNow(Date.now() + offset), 30_000);
    return () => clearInterval(timer);
  }, [base]);
  return now;
}

/** The decision deadline: due date and time left, red once overdue, amber in the last two days. */
export function Deadline({ due, now, active }: { due: Date | string | null; now: number; active: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!due) return <span className="muted">—</span>;
  const at = formatDateTime(due, locale);
  if (!active) return <span className="muted">{t('aid.deadline.dueWas', { at })}</span>;
  const left = new Date(due).getTime() - now;
  if (left <= 0)
    return (
      <span className="deadline deadline-overdue">
        {t('aid.deadline.overdue', { days: Math.floor(-left / 86_400_000) })}
        <span className="visually-hidden"> {t('aid.deadline.dueAt', { at })}</span>
      </span>
    );
  const days = Math.floor(left / 86_400_000);
  const hours = Math.floor((left % 86_400_000) / 3_600_000);
  return (
    <span className={`deadline${left < 2 * 86_400_000 ? ' deadline-soon' : ''}`}>
      <time dateTime={new Date(due).toISOString()} title={t('aid.deadline.dueAt', { at })}>
        {t('aid.deadline.left', { days, hours })}
      </time>
    </span>
  );
}

export const money = (fen: bigint | number | string | null | undefined) =>
  fen === null || fen === undefined ? '—' : formatMoney(fen);

/** "12.3%" of n over d, or a dash. */
export const percent = (n: number, d: number) => (d === 0 ? '—' : `${((n * 100) / d).toFixed(1)}%`);

/** A fen amount as yuan in a form field ("35000.00"). */
export const yuanInput = (fen: bigint | number | string | null | undefined) => {
  if (fen === null || fen === undefined) return '';
  const v = BigInt(fen);
  return `${v / 100n}.${(v % 100n).toString().padStart(2, '0')}`;
};
