import { Link } from '@remix-run/react';
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

/** The traffic light: a coloured dot and its word (never colour alone). */
export function LightTag({ light }: { light: Light }) {
  const { t } = useTranslation();
  if (light === 'none') return <span className="muted">{t('indicators.light.none')}</span>;
  return (
    <span className={`light light-${light}`}>
      <span className="light-dot" aria-hidden="true" />
      {t(`indicators.light.${light}`)}
    </span>
  );
}

/** A count that links to the cases behind it. */
export function DrillLink({ to, children }: { to: string; children: React.ReactNode }) {
  return (
    <Link to={to} className="drill-link">
      {children}
    </Link>
  );
}
