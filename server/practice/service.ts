/**
 * The practice auction (模拟拍卖, ADR 033) as `context.services.practice`: a bidder's own
 * session at a fast clock against scripted practice bidders, with the real bidding rules. It
 * lives in its own tables and reaches no other module's: no bid, log entry, ledger entry,
 * outbox event, notice, indicator or search row ever comes of it.
 */
import { bind } from '../bind.js';
import {
  cancelProxy,
  eventsAfter,
  jobHandlers,
  type PracticeDeps,
  placeBid,
  practiceHome,
  session,
  setProxy,
  start,
} from './sessions.js';

export type { PracticeEntry } from './engine.js';
export type { PracticeDeps } from './sessions.js';
export type { PracticeEventView, PracticeView } from './views.js';
export { eventView } from './views.js';

export function createPracticeService(deps: PracticeDeps) {
  return {
    /** Art. 20's five minutes at the practice clock, and the window: for the pages' explanations. */
    clock: deps.practiceClock,
    /** The way in (a socket packet) stamps a bid's arrival with the server's clock (art. 20). */
    arrive: () => deps.clock(),
    start: bind(deps, start),
    home: bind(deps, practiceHome),
    session: bind(deps, session),
    placeBid: bind(deps, placeBid),
    setProxy: bind(deps, setProxy),
    cancelProxy: bind(deps, cancelProxy),
    eventsAfter: bind(deps, eventsAfter),
    jobHandlers: jobHandlers(deps),
  };
}

export type PracticeService = ReturnType<typeof createPracticeService>;
