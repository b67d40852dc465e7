import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LOCALE, type Locale } from '../../server/http/cookies';
import en from './en.json';
import zhCN from './zh-CN.json';

export const resources = { 'zh-CN': { translation: zhCN }, en: { translation: en } } as const;

/** One instance per request on the server, one per page on the browser; initialised synchronously. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: ['zh-CN', 'en'],
    resources,
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return instance;
}
