import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { formatDateTime } from '../../utils/format';
import { TimerValue, useServerNow } from '../public/countdown';
import { remaining } from '../public/time';

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
  const now = useServerNow(offset);
  const left = now === null ? null : remaining(new Date(due).getTime(), now);
  return (
    <div className="countdown due">
      <p className="countdown-label">{label}</p>
      <TimerValue left={left} zeroText={t('pay.deadlinePassed')} />
      <p className="countdown-at">
        <time dateTime={due}>{t('pay.dueAt', { at: formatDateTime(due, locale) })}</time>
      </p>
    </div>
  );
}
