import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorKind, Light } from '../../../server/indicators/rules';
import { formatMoney } from '../../utils/format';

/** A share as a percentage with two decimals (98.22%), or a dash. */
export const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

/** A figure's value as its kind reads: a share, a count, days, money. */
export function formatValue(kind: IndicatorKind, _key: string, value: number | null): string {
  if (value === null) return '—';
  if (kind === 'ratio') return percent(value);
  if (kind === 'mean') return value.toFixed(1);
  if (kind === 'money') return formatMoney(Math.round(value));
  return Math.round(value).toLocaleString('en-US');
}

/** A numerator or denominator: money in yuan for the money figures, days or counts otherwise. */
export function formatPart(key: string, n: number): string {
  if (key === 'recovery_rate' || key === 'funds_held') return formatMoney(Math.round(n));
  return Math.round(n).toLocaleString('en-US');
}

/**
 * The traffic light: a coloured dot and its word (never colour alone). Draw it with the function
 * `useLightTag` returns: the words are looked up once for the page, not once per light (the
 * four-year dashboard draws some 250 of them, and a hook and a lookup each cost more there than
 * the rest of the table).
 */
export function useLightTag() {
  const { t } = useTranslation();
  return useMemo(() => {
    const words: Partial<Record<Light, string>> = {};
    return function lightTag(light: Light) {
      words[light] ??= t(`indicators.light.${light}`);
      if (light === 'none') return <span className="muted">{words[light]}</span>;
      return (
        <span className={`light light-${light}`}>
          <span className="light-dot" aria-hidden="true" />
          {words[light]}
        </span>
      );
    };
  }, [t]);
}

/**
 * A count that links to the cases behind it. A plain link, not a router `Link`: the four-year
 * dashboard draws some 400 of them, and a `Link`'s hooks made up most of the page's render; the
 * drill-down opens as a page of its own.
 */
export function DrillLink({ to, children }: { to: string; children: React.ReactNode }) {
  return (
    <a className="drill-link" href={to}>
      {children}
    </a>
  );
}
