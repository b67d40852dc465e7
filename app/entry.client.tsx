import { RemixBrowser } from '@remix-run/react';
import { StrictMode, startTransition } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { Locale } from '../server/http/cookies';
import { createI18n } from './i18n/i18n';

const locale = (document.documentElement.lang === 'en' ? 'en' : 'zh-CN') satisfies Locale;
const i18n = createI18n(locale);

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
