import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef } from 'react';

/**
 * One reload at a time: requests while one runs ask for a single more after it, never for
 * another that aborts it.
 */
export function coalescer(start: () => void) {
  let running = false;
  let again = false;
  return {
    request() {
      if (running) again = true;
      else {
        running = true;
        start();
      }
    },
    /** The reload in flight has finished. */
    idle() {
      if (again) {
        again = false;
        start();
      } else running = false;
    },
  };
}

/**
 * Reloads the page's data when a socket says it changed, coalesced: Remix aborts a running
 * revalidation when a new one starts, and a burst of status and snapshot events (a close, a
 * reconnection) used to leave an `AbortError` in the console. The returned function keeps its
 * identity, so effects may depend on it.
 */
export function useCoalescedRevalidate(): () => void {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator.revalidate);
  latest.current = revalidator.revalidate;
  const reloads = useRef<ReturnType<typeof coalescer> | null>(null);
  reloads.current ??= coalescer(() => latest.current());
  useEffect(() => {
    if (revalidator.state === 'idle') reloads.current!.idle();
  }, [revalidator.state]);
  return reloads.current.request;
}
