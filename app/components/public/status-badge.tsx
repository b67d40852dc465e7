import { useTranslation } from 'react-i18next';
import type { PublicStatus } from '../../../server/auctions/rules';

/** The public status as a coloured badge; the colour repeats the text, never replaces it. */
export function StatusBadge({ status }: { status: PublicStatus | null }) {
  const { t } = useTranslation();
  if (!status) return null;
  return <span className={`badge badge-${status}`}>{t(`publicStatus.${status}`)}</span>;
}
