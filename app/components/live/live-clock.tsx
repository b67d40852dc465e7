import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { useLaterMessages } from '../../i18n/i18n';
import { formatDateTime } from '../../utils/format';
import { DAYS, SERVER_TIME, TimerValue } from '../public/countdown';
import { clockText, remaining } from '../public/time';
import { durationParts } from './amounts';
import type { LiveState } from './live-state';

export { useServerNow } from '../public/countdown';

interface LiveClockProps {
  live: Pick<LiveState, 'status' | 'currentEndAt' | 'extensionCount' | 'lastExtension'>;
  startsAt: Date | string;
  /** The server's time (ms) from `useServerNow`; null before hydration: fixed times only. */
  now: number | null;
  /** The rules profile's extension (art. 20: 5 minutes), also the "ending soon" window. */
  extensionMs: number;
  locale: Locale;
  /** Called once per target when the countdown reaches zero: the page asks the server what happened. */
  onElapsed?: () => void;
}

/**
 * The countdown to the start or the (current) end on the server's clock, the number of
 * extensions, a visible cue when the end has just moved, and the ending-soon notice (the last
 * five minutes, when a bid extends the auction). The ticking figure is a timer (not announced);
 * the cue and the notice are polite status messages, each said once when it appears.
 */
export function LiveClock({ live, startsAt, now, extensionMs, locale, onElapsed }: LiveClockProps) {
  const { t } = useTranslation();
  useLaterMessages(SERVER_TIME);
  const toStart = live.status === 'announced';
  const target = toStart ? new Date(startsAt).getTime() : live.currentEndAt;
  const left = now === null ? null : remaining(target, now);
  const elapsedFor = useRef<number | null>(null);
  useEffect(() => {
    if (left?.total === 0 && elapsedFor.current !== target) {
      elapsedFor.current = target;
      onElapsed?.();
    }
  }, [left?.total, target, onElapsed]);

  const duration = durationParts(extensionMs);
  const durationText = t(duration.key, { count: duration.count });
  const isLive = live.status === 'live';
  const endingSoon = isLive && now !== null && target - now > 0 && target - now <= extensionMs;
  // The cue stays while the latest extension is the current end (the next one replaces it).
  const cue = isLive && live.lastExtension !== null && live.lastExtension.endAt === live.currentEndAt;
  const at = formatDateTime(target, locale, true);

  return (
    <div className={`countdown live-clock${endingSoon ? ' ending-soon' : ''}`} data-testid="live-clock">
      <p className="countdown-label">{t(toStart ? 'countdown.toStart' : 'countdown.toEnd')}</p>
      <TimerValue left={left} zeroText={t(toStart ? 'countdown.starting' : 'countdown.ending')} />
      <p className="countdown-at">
        <time dateTime={new Date(target).toISOString()}>
          {t(toStart ? 'countdown.startsAt' : 'countdown.endsAt', { at })}
        </time>
      </p>
      {!toStart && (
        <p className="live-extensions" data-testid="extension-count">
          {live.extensionCount > 0
            ? t('live.extensions', { count: live.extensionCount })
            : t('live.noExtensions', { duration: durationText })}
        </p>
      )}
      <div role="status" className="live-clock-status">
        {cue && (
          <p className="live-extended" data-testid="extended-cue">
            {t('live.extendedCue', { duration: durationText })}
          </p>
        )}
        {endingSoon && (
          <p className="live-ending-soon" data-testid="ending-soon">
            {t('live.endingSoon', { duration: durationText })}
          </p>
        )}
      </div>
      {left && <p className="countdown-note">{t('countdown.serverTime')}</p>}
    </div>
  );
}

// The bar's words appear only once the page runs its clock: shipped with the page (ADR 004).
const BAR_MESSAGES = ['live.bar.toEnd', 'live.bar.toStart'];

/**
 * The countdown of the phone's bid bar: one line, the time left on the server's clock (the fixed
 * end or start before the page runs). Not a timer role: the clock above it is the one assistive
 * technology reads; this copy is for the eye, while the bidder scrolls.
 */
export function BarClock({
  live,
  startsAt,
  now,
  locale,
}: Pick<LiveClockProps, 'startsAt' | 'now' | 'locale'> & {
  live: Pick<LiveState, 'status' | 'currentEndAt'>;
}) {
  const { t } = useTranslation();
  useLaterMessages(BAR_MESSAGES, DAYS);
  const toStart = live.status === 'announced';
  const target = toStart ? new Date(startsAt).getTime() : live.currentEndAt;
  const left = now === null ? null : remaining(target, now);
  return (
    <p className="bid-bar-clock" data-testid="bar-clock">
      {left ? (
        <>
          <span className="bid-bar-label">{t(toStart ? 'live.bar.toStart' : 'live.bar.toEnd')}</span>{' '}
          <strong>
            {left.days > 0 && `${t('countdown.days', { count: left.days })} `}
            {clockText(left)}
          </strong>
        </>
      ) : (
        <time dateTime={new Date(target).toISOString()}>
          {t(toStart ? 'live.bar.startsAt' : 'live.bar.endsAt', { at: formatDateTime(target, locale, true) })}
        </time>
      )}
    </p>
  );
}
