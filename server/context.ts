import type { Arrival } from './auctions/bidding.js';
import type { Locale } from './http/cookies.js';
import type { Actor } from './identity/permissions.js';
import type { CurrentUser, RequestMeta } from './identity/service.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';

/** What the browser may learn of the server's configuration: an explicit allow-list. */
export interface PublicConfig {
  rulesProfile: 'statutory' | 'accelerated';
  accelerationFactor: number;
  simulatedPayments: boolean;
  /** For Stripe's Payment Element in the browser; null without Stripe. */
  stripePublishableKey: string | null;
}

/** Handed to every Remix loader and action through getLoadContext (TOOLCHAIN pitfall 3). */
export interface AppContext {
  services: Services;
  auth: { user: CurrentUser; actor: Actor } | null;
  csrfToken: string;
  nonce: string;
  locale: Locale;
  meta: RequestMeta;
  /** A bid form's arrival at the server (art. 20), stamped before anything else; null on other requests. */
  arrival: Arrival | null;
  /** The request's logger: every line carries its request id. */
  log: Logger;
  cookieSecure: boolean;
  publicConfig: PublicConfig;
}

declare module '@remix-run/node' {
  interface AppLoadContext extends AppContext {}
}
