import { useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** A success notice after a redirect (`?done=...`), announced politely. */
export function DoneNotice({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p role="status" className="notice">
      {message}
    </p>
  );
}

/**
 * The message for the page's `?done=<what>`: `<prefix>.<what>` when `what` is one the page knows
 * (anything else in the address says nothing), for `DoneNotice`.
 */
export function useDoneMessage(prefix: string, known: readonly string[]): string | null {
  const [search] = useSearchParams();
  const { t } = useTranslation();
  const done = search.get('done');
  return done !== null && known.includes(done) ? t(`${prefix}.${done}`) : null;
}
