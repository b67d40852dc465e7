import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LOCALE, type Locale } from '../../server/http/cookies';
import accountsEn from './accounts.en.json';
import accountsZh from './accounts.zh-CN.json';
import aidEn from './aid.en.json';
import aidZh from './aid.zh-CN.json';
import biddingEn from './bidding.en.json';
import biddingZh from './bidding.zh-CN.json';
import bountiesEn from './bounties.en.json';
import bountiesZh from './bounties.zh-CN.json';
import casesEn from './cases.en.json';
import casesZh from './cases.zh-CN.json';
import courtEn from './court.en.json';
import courtZh from './court.zh-CN.json';
import courtMoneyEn from './court-money.en.json';
import courtMoneyZh from './court-money.zh-CN.json';
import creditEn from './credit.en.json';
import creditZh from './credit.zh-CN.json';
import en from './en.json';
import followEn from './follow.en.json';
import followZh from './follow.zh-CN.json';
import fundsEn from './funds.en.json';
import fundsZh from './funds.zh-CN.json';
import indicatorsEn from './indicators.en.json';
import indicatorsZh from './indicators.zh-CN.json';
import moneyEn from './money.en.json';
import moneyZh from './money.zh-CN.json';
import notifyEn from './notify.en.json';
import notifyZh from './notify.zh-CN.json';
import onboardingEn from './onboarding.en.json';
import onboardingZh from './onboarding.zh-CN.json';
import publicEn from './public.en.json';
import publicZh from './public.zh-CN.json';
import salesEn from './sales.en.json';
import salesZh from './sales.zh-CN.json';
import zhCN from './zh-CN.json';

/**
 * One catalog per area (shared, court desk, public pages, money, enforcement aid, after the sale, case lifecycle, case funds), merged into one namespace; their
 * top-level keys never overlap (checked by catalogs.test.ts).
 */
export const catalogs = {
  'zh-CN': [
    zhCN,
    courtZh,
    publicZh,
    moneyZh,
    courtMoneyZh,
    biddingZh,
    aidZh,
    salesZh,
    casesZh,
    fundsZh,
    indicatorsZh,
    creditZh,
    notifyZh,
    bountiesZh,
    accountsZh,
    onboardingZh,
    followZh,
  ],
  en: [
    en,
    courtEn,
    publicEn,
    moneyEn,
    courtMoneyEn,
    biddingEn,
    aidEn,
    salesEn,
    casesEn,
    fundsEn,
    indicatorsEn,
    creditEn,
    notifyEn,
    bountiesEn,
    accountsEn,
    onboardingEn,
    followEn,
  ],
} as const;

export const resources = {
  'zh-CN': { translation: Object.assign({}, ...catalogs['zh-CN']) },
  en: { translation: Object.assign({}, ...catalogs.en) },
};

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
