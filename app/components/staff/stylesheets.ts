import type { LinksFunction } from '@remix-run/node';
import aidCss from '../aid/aid.css?url';
import courtCss from '../court/court.css?url';

/**
 * The stylesheets of the staff pages, as a route's `links` (`export const links = courtLinks`).
 * The kit's classes (page-head, pager, actions, group …) live in court.css on top of app.css;
 * aid.css adds the aid screens' own.
 */
export const courtLinks: LinksFunction = () => [{ rel: 'stylesheet', href: courtCss }];
export const aidLinks: LinksFunction = () => [
  { rel: 'stylesheet', href: courtCss },
  { rel: 'stylesheet', href: aidCss },
];
