import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { useLaterMessages } from '../../i18n/i18n';
import { formatDateTime } from '../../utils/format';
import { clockText, type Remaining, remaining } from './time';

interface CountdownProps {
  /** The moment counted down to (the start, or the current end after extensions). */
  target: Date | string;
  kind: 'start' | 'end';
  /** Server time minus browser time, in ms; null until measured (server render, before hydration). */
  offset: number | null;
  locale: Locale;
  /** Called once when the countdown reaches zero, so the page can ask the server what happened. */
  onElapsed?: () => void;
}

/** The server's clock as this browser estimates it, ticking every second; null before the offset is known. */
export function useServerNow(offset: number | null): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (offset === null) return;
    const tick = () => setNow(Date.now() + offset);
    tick();
    const timer = setInterval(tick, 1_000);
    return () => clearInterval(timer);
  }, [offset]);
  return now;
}

// Shown once the page runs (ADR 004): the figure and its note need the server's clock.
export const DAYS = ['countdown.days'];
export const SERVER_TIME = ['countdown.serverTime'];

/** The ticking figure of a countdown (a timer: not announced); `zeroText` once it reaches zero. */
export function TimerValue({ left, zeroText }: { left: Remaining | null; zeroText: string }) {
  const { t } = useTranslation();
  useLaterMessages([], DAYS);
  if (!left) return null;
  return (
    <p className="countdown-value" role="timer" aria-atomic="true">
      {left.total === 0 ? (
        zeroText
      ) : (
        <>
          {left.days > 0 && (
            <span className="countdown-days">{t('countdown.days', { count: left.days })} </span>
          )}
          <span className="countdown-clock">{clockText(left)}</span>
        </>
      )}
    </p>
  );
}

/**
 * A countdown on the server's clock. The server and the first browser render show the fixed
 * time only (it does not depend on any clock, so hydration matches); the ticking part appears
 * once the offset to the server is known. The browser's own clock is never trusted alone.
 */
export function Countdown({ target, kind, offset, locale, onElapsed }: CountdownProps) {
  const { t } = useTranslation();
  useLaterMessages(SERVER_TIME);
  const now = useServerNow(offset);
  const targetMs = new Date(target).getTime();
  const elapsedFor = useRef<number | null>(null);

  const left = now === null ? null : remaining(targetMs, now);
  useEffect(() => {
    if (left?.total === 0 && elapsedFor.current !== targetMs) {
      elapsedFor.current = targetMs;
      onElapsed?.();
    }
  }, [left?.total, targetMs, onElapsed]);

  const at = formatDateTime(target, locale, true);
  return (
    <div className="countdown">
      <p className="countdown-label">{t(kind === 'start' ? 'countdown.toStart' : 'countdown.toEnd')}</p>
      <TimerValue left={left} zeroText={t(kind === 'start' ? 'countdown.starting' : 'countdown.ending')} />
      <p className="countdown-at">
        <time dateTime={new Date(target).toISOString()}>
          {t(kind === 'start' ? 'countdown.startsAt' : 'countdown.endsAt', { at })}
        </time>
      </p>
      {left && <p className="countdown-note">{t('countdown.serverTime')}</p>}
    </div>
  );
}
