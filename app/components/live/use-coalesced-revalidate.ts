import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef } from 'react';

/**
 * One reload at a time: requests while one runs ask for a single more after it, never for
 * another that aborts it. `idle` says the reload in flight has finished. Should that word never
 * come (Remix renders router states in transitions, so a reload's start and end may reach the
 * page as one state), a reload is taken as finished after `staleMs` (a data reload takes well
 * under a second), and one asked for meanwhile starts then: late at worst, never lost.
 */
export function coalescer(start: () => void, staleMs = 3_000) {
  let running = false;
  let again = false;
  let gone = false;
  let stale: ReturnType<typeof setTimeout> | undefined;
  const begin = () => {
    if (gone) return;
    running = true;
    clearTimeout(stale);
    stale = setTimeout(finished, staleMs);
    start();
  };
  function finished() {
    clearTimeout(stale);
    if (again) {
      again = false;
      begin();
    } else running = false;
  }
  return {
    request() {
      if (running) again = true;
      else begin();
    },
    idle() {
      if (running) finished();
    },
    /** Whether the page is there: once it has gone, nothing more starts (StrictMode remounts it). */
    mounted(there: boolean) {
      gone = !there;
      if (!gone) return;
      clearTimeout(stale);
      running = false;
      again = false;
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
  useEffect(() => {
    const r = reloads.current!;
    r.mounted(true);
    return () => r.mounted(false);
  }, []);
  return reloads.current.request;
}
