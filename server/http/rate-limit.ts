/**
 * A fixed-window limit per client address, in this process's memory (ADR 026): the public feed
 * is read-only and cheap to refuse, so a lost count on restart costs nothing. The address is
 * `req.ip`, i.e. what the configured TRUST_PROXY hops give (ADR 017), as the login limit uses.
 */
export function createRateLimiter({
  limit,
  windowMs,
  now = Date.now,
}: {
  limit: number;
  windowMs: number;
  now?: () => number;
}) {
  const windows = new Map<string, { start: number; count: number }>();
  /** Counts one request; answers how many seconds to wait when over the limit, else null. */
  return function hit(key: string): { retryAfterS: number } | null {
    const t = now();
    let w = windows.get(key);
    if (!w || t - w.start >= windowMs) {
      // Old windows go when the map grows, so a flood of addresses cannot grow it for ever.
      if (windows.size > 10_000) for (const [k, v] of windows) if (t - v.start >= windowMs) windows.delete(k);
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    return w.count > limit ? { retryAfterS: Math.max(1, Math.ceil((w.start + windowMs - t) / 1000)) } : null;
  };
}
