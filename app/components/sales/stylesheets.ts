import type { LinksFunction } from '@remix-run/node';
import courtCss from '../court/court.css?url';
import moneyCss from '../money/money.css?url';
import publicCss from '../public/public.css?url';
import salesCss from './sales.css?url';

/** The court's sales pages: the staff kit's stylesheet and the sales' own. */
export const salesCourtLinks: LinksFunction = () => [
  { rel: 'stylesheet', href: courtCss },
  { rel: 'stylesheet', href: salesCss },
];

/** The buyer's purchases page: the public and money pages' stylesheets and the sales' own. */
export const salesBuyerLinks: LinksFunction = () => [
  { rel: 'stylesheet', href: publicCss },
  { rel: 'stylesheet', href: moneyCss },
  { rel: 'stylesheet', href: salesCss },
];
