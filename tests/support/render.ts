/**
 * Server-renders app components the way a route renders them: inside a data router whose root
 * route holds the CSRF token (`useRootData`), with an i18n instance of the real catalogs.
 * For component tests (`*.test.tsx` next to the component) that read the HTML it produces.
 */
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
// The router @remix-run/react itself renders with (its exact dependency), for its static provider.
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { serverI18n } from '../../app/i18n/catalogs.server';
import type { Locale } from '../../server/http/cookies';

export const TEST_CSRF_TOKEN = 'csrf-token-of-the-test';

export async function renderInRoute(
  element: ReactElement,
  {
    url = 'http://localhost/page',
    locale = 'zh-CN',
    data,
  }: { url?: string; locale?: Locale /** What the page's `useLoaderData` returns. */; data?: unknown } = {},
): Promise<string> {
  const routes = [
    {
      id: 'root',
      path: '/',
      loader: () => ({ csrfToken: TEST_CSRF_TOKEN }),
      children: [{ id: 'page', path: 'page', element, loader: data === undefined ? undefined : () => data }],
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(url));
  if (context instanceof Response) throw new Error(`the test route answered ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(
    createElement(
      I18nextProvider,
      { i18n: serverI18n(locale) },
      createElement(StaticRouterProvider, { router, context, hydrate: false }),
    ),
  );
}
