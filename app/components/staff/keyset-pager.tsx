import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/**
 * The pager of a keyset-paged list (`keysetLinks` in app/utils/paging.ts): back to the first page
 * and on to the next; nothing when the list fits one page. Every such list renders this one.
 */
export function KeysetPager({
  nextHref,
  firstHref,
  label,
  firstLabel,
  nextLabel,
}: {
  nextHref: string | null;
  firstHref: string | null;
  label?: string;
  firstLabel?: string;
  nextLabel?: string;
}) {
  const { t } = useTranslation();
  if (!nextHref && !firstHref) return null;
  return (
    <nav className="pager" aria-label={label ?? t('common.pagination')}>
      {firstHref && <Link to={firstHref}>{firstLabel ?? t('common.firstPage')}</Link>}
      {nextHref && (
        <Link to={nextHref} rel="next">
          {nextLabel ?? t('common.nextPage')}
        </Link>
      )}
    </nav>
  );
}
