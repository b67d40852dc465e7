import i18next, { type i18n, type Resource, type TFunction } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DEFAULT_LOCALE, type Locale } from '../../server/http/cookies';

/**
 * One instance per request on the server (every message: catalogs.server.ts), one per page in
 * the browser, initialised synchronously with the messages the page's HTML shipped (ADR 004,
 * "Messages on the wire"). `onMissing` runs when a message is not among them.
 */
export function createI18n(locale: Locale, resources: Resource, opts: { onMissing?: () => void } = {}): i18n {
  const instance = i18next.createInstance();
  const onMissing = opts.onMissing;
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: ['zh-CN', 'en'],
    resources,
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    ...(onMissing && { saveMissing: true, missingKeyHandler: () => onMissing() }),
  });
  return instance;
}

/** The browser's whole catalog of a language: a chunk of its own, fetched when first needed. */
export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  return locale === 'en'
    ? (await import('./messages.en')).messages
    : (await import('./messages.zh-CN')).messages;
}

/**
 * `meta` functions run outside React, on the server and in the browser: each entry says where
 * their translator comes from (the request's instance on the server, the page's in the browser).
 */
let translators: ((locale: Locale) => TFunction) | undefined;
export function provideTranslators(of: (locale: Locale) => TFunction) {
  translators = of;
}
export function translatorFor(locale: Locale): TFunction {
  if (!translators) throw new Error('no translator provided (app/entry.server.tsx, app/entry.client.tsx)');
  return translators(locale);
}

/**
 * In the browser: completes the page's instance with a language's whole catalog (before a
 * client-side navigation, a language switch, or a message the HTML did not ship). Set by
 * entry.client; a no-op on the server, whose instances hold every message.
 */
let completer: ((locale: Locale) => Promise<void>) | undefined;
export function provideCompleter(fn: (locale: Locale) => Promise<void>) {
  completer = fn;
}
export function completeCatalog(locale: Locale): Promise<void> {
  return completer ? completer(locale) : Promise.resolve();
}

/**
 * Messages a component shows only once the page runs its script (after hydration: a menu
 * button, a connection state, a ticking countdown): looked up in its first render as well, so
 * the page's HTML ships them and the browser need not fetch the whole catalog to show them
 * (ADR 004). `plurals` are looked up with counts 0, 1 and 2: every form Chinese and English have.
 */
export function useLaterMessages(keys: readonly string[], plurals: readonly string[] = []) {
  const { t } = useTranslation();
  for (const key of keys) t(key);
  for (const key of plurals) for (const count of [0, 1, 2]) t(key, { count });
}
