import { AsyncLocalStorage } from 'node:async_hooks';
import { Transform } from 'node:stream';
import {
  type AppLoadContext,
  createReadableStreamFromReadable,
  type EntryContext,
  type HandleErrorFunction,
} from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import type { i18n as I18n } from 'i18next';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { serverI18n } from './i18n/catalogs.server';
import { provideTranslators } from './i18n/i18n';
import { recordMessages, shippedScript } from './i18n/shipped';
import { NonceProvider } from './utils/nonce';

const ABORT_DELAY = 5_000;

/** The instance of the page being rendered: `meta` functions translate with it too, so the title's messages are shipped. */
const rendering = new AsyncLocalStorage<I18n>();
const standalone = { 'zh-CN': serverI18n('zh-CN'), en: serverI18n('en') };
provideTranslators((locale) => {
  const page = rendering.getStore();
  return page?.language === locale ? page.t : standalone[locale].t;
});

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const i18n = serverI18n(loadContext.locale);
  // The messages this page looked up travel with it; the browser fetches the rest when needed (ADR 004).
  const shipped = recordMessages(i18n);
  const nonce = loadContext.nonce;
  const waitForAll = isbot(request.headers.get('user-agent') ?? '');
  return rendering.run(
    i18n,
    () =>
      new Promise((resolve, reject) => {
        let shellRendered = false;
        const { pipe, abort } = renderToPipeableStream(
          <NonceProvider value={nonce}>
            <I18nextProvider i18n={i18n}>
              <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
            </I18nextProvider>
          </NonceProvider>,
          {
            nonce,
            [waitForAll ? 'onAllReady' : 'onShellReady']() {
              shellRendered = true;
              const body = htmlStream(() => shippedScript(shipped(), nonce));
              responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
              resolve(
                new Response(createReadableStreamFromReadable(body), {
                  headers: responseHeaders,
                  status: responseStatusCode,
                }),
              );
              pipe(body);
            },
            onShellError(error: unknown) {
              reject(error);
            },
            onError(error: unknown) {
              responseStatusCode = 500;
              if (shellRendered) loadContext.log.error({ err: error }, 'render error after the shell');
            },
          },
        );
        setTimeout(abort, ABORT_DELAY);
      }),
  );
}

/** Loader, action and render errors: logged once, with the request id; the user sees the boundary. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  context.log.error({ err: error, url: request.url }, 'unhandled error in a route');
};

/**
 * The HTML on its way out. React 18.3's Node renderer can flush the unused tail of its 2 KB
 * buffer when a multi-byte character (most Chinese text) straddles the boundary, which puts NUL
 * bytes into the HTML (react#31134); HTML never holds a NUL, so they are dropped. At the end,
 * once the whole page has rendered, `tail` (the shipped messages) follows.
 */
function htmlStream(tail: () => string) {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, chunk.includes(0) ? Buffer.from(chunk.filter((b) => b !== 0)) : chunk);
    },
    flush(done) {
      done(null, tail());
    },
  });
}
