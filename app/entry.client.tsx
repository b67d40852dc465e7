import { RemixBrowser } from '@remix-run/react';
import type { Resource } from 'i18next';
import { StrictMode, startTransition } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { Locale } from '../server/http/cookies';
import { createI18n, loadMessages, provideCompleter, provideTranslators } from './i18n/i18n';
import { SHIPPED_GLOBAL } from './i18n/shipped';

const locale = (document.documentElement.lang === 'en' ? 'en' : 'zh-CN') satisfies Locale;

// The page starts with the messages its HTML used (entry.server sends them after the page, so
// hydration waits for the whole document); a language's whole catalog is fetched once, when
// something needs a message beyond them (ADR 004, "Messages on the wire").
function hydrate() {
  const shipped = ((window as unknown as Record<string, Resource | undefined>)[SHIPPED_GLOBAL] ??
    {}) as Resource;
  const loading = new Map<Locale, Promise<void>>();
  const complete = (lng: Locale): Promise<void> => {
    let done = loading.get(lng);
    if (!done) {
      done = loadMessages(lng).then((messages) => {
        i18n.addResourceBundle(lng, 'translation', messages, true, true);
      });
      loading.set(lng, done);
    }
    return done;
  };
  const i18n = createI18n(locale, shipped, { onMissing: () => void complete(i18n.language as Locale) });
  provideCompleter(complete);
  provideTranslators(() => i18n.t);
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <RemixBrowser />
        </I18nextProvider>
      </StrictMode>,
    );
  });
}

// Remix's module script may run while the end of a streamed page is still on its way.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', hydrate, { once: true });
else hydrate();
