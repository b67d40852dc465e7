import { useTranslation } from 'react-i18next';
import type { Connection } from '../public/use-auction-socket';

const CONNECTIONS: readonly Connection[] = ['connecting', 'connected', 'offline'];
/** Shown only once the page runs its script: look them up in the first render (ADR 004). */
export const CONNECTION_MESSAGES = CONNECTIONS.map((c) => `auction.connection.${c}`);

/** Whether the page's live connection is up (a live auction's, a practice session's). */
export function ConnectionIndicator({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  return (
    <p className={`live-indicator live-${connection}`} role="status">
      <span className="live-dot" aria-hidden="true" />
      {t(`auction.connection.${connection}`)}
    </p>
  );
}
