import type { Locale } from '../../server/http/cookies';
import { createI18n } from './i18n';
import * as en from './messages.en';
import * as zhCN from './messages.zh-CN';

/** Every area's catalog per language (catalogs.test.ts checks they never overlap). */
export const catalogs = { 'zh-CN': zhCN.areas, en: en.areas } as const;

/** Every message of both languages: the server's instances and the tests. */
export const resources = {
  'zh-CN': { translation: zhCN.messages },
  en: { translation: en.messages },
};

/** An instance holding every message (server-side rendering, CSV headers, tests). */
export const serverI18n = (locale: Locale) => createI18n(locale, resources);
