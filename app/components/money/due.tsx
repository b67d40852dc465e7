import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { formatDateTime } from '../../utils/format';
import { clockText, remaining } from '../public/time';

/**
 * Server time minus browser time, measured when the page's data arrived (`serverTime` from the
 * loader). Null on the server render and before hydration, so both render the same markup.
 */
export function useServerOffset(serverTime: number): number | null {
  const [offset, setOffset] = useState<number | null>(null);
  useEffect(() => setOffset(serverTime - Date.now()), [serverTime]);
  return offset;
}

/** A deadline (balance due, deposit before the end) counted down on the server's clock. */
export function DueCountdown({
  label,
  due,
  offset,
  locale,
}: {
  label: string;
  due: string;
  offset: number | null;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (offset === null) return;
    const tick = () => setNow(Date.now() + offset);
    tick();
    const timer = setInterval(tick, 1_000);
    return () => clearInterval(timer);
  }, [offset]);
  const left = now === null ? null : remaining(new Date(due).getTime(), now);
  return (
    <div className="countdown due">
      <p className="countdown-label">{label}</p>
      {left && (
        <p className="countdown-value" role="timer" aria-atomic="true">
          {left.total === 0 ? (
            t('pay.deadlinePassed')
          ) : (
            <>
              {left.days > 0 && (
                <span className="countdown-days">{t('countdown.days', { count: left.days })} </span>
              )}
              <span className="countdown-clock">{clockText(left)}</span>
            </>
          )}
        </p>
      )}
      <p className="countdown-at">
        <time dateTime={due}>{t('pay.dueAt', { at: formatDateTime(due, locale) })}</time>
      </p>
    </div>
  );
}
