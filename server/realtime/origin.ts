import type { IncomingMessage } from 'node:http';

/**
 * May a browser page of this Origin open a socket here? A cross-site page could otherwise ride
 * the visitor's session cookie (SameSite=Lax is sent on a WebSocket handshake to our host) and
 * read his live auction state or bid as him. Allowed: no Origin (not a browser, or a same-origin
 * polling GET, where browsers leave it out), or exactly the site's origin: PUBLIC_ORIGIN when
 * configured, else the origin the request itself names (its Host, http or https).
 */
export function originAllowed(req: Pick<IncomingMessage, 'headers'>, publicOrigin?: string): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (publicOrigin) return origin === publicOrigin;
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}
