import { describe, expect, it } from 'vitest';
import { coalescer } from './use-coalesced-revalidate';

describe('socket-driven reloads, one at a time', () => {
  it('a burst during a reload asks for one more after it, not one per event', () => {
    let started = 0;
    const reloads = coalescer(() => {
      started += 1;
    });
    reloads.request();
    reloads.request();
    reloads.request();
    expect(started).toBe(1);
    reloads.idle(); // the first finished: the burst's one reload starts
    expect(started).toBe(2);
    reloads.idle(); // nothing asked meanwhile
    expect(started).toBe(2);
    reloads.request(); // a later event reloads at once
    expect(started).toBe(3);
  });

  it('an idle page (no reload running) ignores idle signals', () => {
    let started = 0;
    const reloads = coalescer(() => {
      started += 1;
    });
    reloads.idle();
    expect(started).toBe(0);
    reloads.request();
    expect(started).toBe(1);
  });
});
