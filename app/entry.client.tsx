import { RemixBrowser } from '@remix-run/react';
import type { i18n as I18n, Resource } from 'i18next';
import { type ReactNode, StrictMode, startTransition, useMemo, useSyncExternalStore } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { I18nContext } from 'react-i18next';
import type { Locale } from '../server/http/cookies';
import { createI18n, loadMessages, provideCompleter, provideTranslators } from './i18n/i18n';
import { SHIPPED_GLOBAL } from './i18n/shipped';

const locale = (document.documentElement.lang === 'en' ? 'en' : 'zh-CN') satisfies Locale;

// The page starts with the messages its HTML used (entry.server sends them after the page, so
// hydration waits for the whole document); a language's whole catalog is fetched once, when
// something needs a message beyond them (ADR 004, "Messages on the wire").
const loading = new Map<Locale, Promise<void>>();
const arrived = new Set<() => void>();
let revision = 0; // bumped each time a whole catalog arrives
const getRevision = () => revision;
const subscribe = (listener: () => void) => {
  arrived.add(listener);
  return () => void arrived.delete(listener);
};

function complete(i18n: I18n, lng: Locale): Promise<void> {
  let done = loading.get(lng);
  if (!done) {
    done = loadMessages(lng).then((messages) => {
      i18n.addResourceBundle(lng, 'translation', messages, true, true);
      revision += 1;
      for (const listener of arrived) listener();
    });
    loading.set(lng, done);
  }
  return done;
}

/**
 * A new context value when a catalog arrives re-renders every useTranslation consumer, even one
 * that mounted (showing keys) after the arrival and before its own store subscription, which
 * i18next's 'added' event alone would leave showing keys.
 */
function Messages({ i18n, children }: { i18n: I18n; children: ReactNode }) {
  const current = useSyncExternalStore(subscribe, getRevision, getRevision);
  const value = useMemo(() => ({ i18n, revision: current }), [i18n, current]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function hydrate() {
  const shipped = ((window as unknown as Record<string, Resource | undefined>)[SHIPPED_GLOBAL] ??
    {}) as Resource;
  const i18n: I18n = createI18n(locale, shipped, {
    onMissing: () => void complete(i18n, i18n.language as Locale),
  });
  provideCompleter((lng) => complete(i18n, lng));
  provideTranslators(() => i18n.t);
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <Messages i18n={i18n}>
          <RemixBrowser />
        </Messages>
      </StrictMode>,
    );
  });
}

// Remix's module script may run while the end of a streamed page is still on its way.
// This module is the first part of the shell chunk (vite-chunks.ts), so it runs before the route
// modules: hydrateRoot inside a transition only schedules the render, which starts after Remix's
// module script has registered them.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', hydrate, { once: true });
else hydrate();
