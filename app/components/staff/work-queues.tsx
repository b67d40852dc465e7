import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../utils/format';
import { useLocale } from '../court/display';

export type WorkQueue = {
  key: string;
  count: number;
  nearest: Date | string | null;
  overdue: boolean;
  href: string;
};

/**
 * The work waiting for this member of staff (server/dashboard/queues.ts): one card per queue, work
 * first and the nearest deadline first, each linking to the page where the work is done.
 */
export function WorkQueues({ queues }: { queues: WorkQueue[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">{t('queues.title')}</h2>
      {queues.every((q) => q.count === 0) && <p className="notice">{t('queues.nothing')}</p>}
      <ul className="work-queues">
        {queues.map((q) => (
          <li key={q.key} className={q.count === 0 ? 'empty' : q.overdue ? 'overdue' : undefined}>
            <Link to={q.href}>
              <span className="queue-count">{q.count}</span> <span>{t(`queues.${q.key}`)}</span>
            </Link>
            {q.count > 0 && q.nearest && (
              <small>
                {t(q.overdue ? 'queues.overdueSince' : 'queues.nearest', {
                  at: formatDateTime(q.nearest, locale),
                })}
              </small>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
