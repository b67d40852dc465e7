import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescer } from './use-coalesced-revalidate';

describe('socket-driven reloads, one at a time', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const counted = (staleMs?: number) => {
    const started = { n: 0 };
    const reloads = coalescer(() => {
      started.n += 1;
    }, staleMs);
    return { started, reloads };
  };

  it('a burst during a reload asks for one more after it, not one per event', () => {
    const { started, reloads } = counted();
    reloads.request();
    reloads.request();
    reloads.request();
    expect(started.n).toBe(1);
    reloads.idle(); // the first finished: the burst's one reload starts
    expect(started.n).toBe(2);
    reloads.idle(); // nothing asked meanwhile
    expect(started.n).toBe(2);
    reloads.request(); // a later event reloads at once
    expect(started.n).toBe(3);
  });

  it('an idle page (no reload running) ignores idle signals', () => {
    const { started, reloads } = counted();
    reloads.idle();
    expect(started.n).toBe(0);
    reloads.request();
    expect(started.n).toBe(1);
  });

  it('a reload whose end the page never saw does not swallow the one asked for after it', () => {
    const { started, reloads } = counted(10_000);
    reloads.request();
    reloads.request(); // waits for the first
    vi.advanceTimersByTime(9_999);
    expect(started.n).toBe(1);
    vi.advanceTimersByTime(1); // no idle came: taken as finished, the waiting one starts
    expect(started.n).toBe(2);
    vi.advanceTimersByTime(10_000); // nothing waits any more
    expect(started.n).toBe(2);
    reloads.request();
    expect(started.n).toBe(3);
  });

  it('starts nothing once the page has gone', () => {
    const { started, reloads } = counted(10_000);
    reloads.request();
    reloads.request();
    reloads.mounted(false);
    vi.advanceTimersByTime(20_000);
    reloads.idle();
    reloads.request();
    expect(started.n).toBe(1);
    reloads.mounted(true); // mounted again (StrictMode does so in development)
    reloads.request();
    expect(started.n).toBe(2);
  });
});
