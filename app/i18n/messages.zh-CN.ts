import accountsZh from './accounts.zh-CN.json';
import aidZh from './aid.zh-CN.json';
import biddingZh from './bidding.zh-CN.json';
import bountiesZh from './bounties.zh-CN.json';
import casesZh from './cases.zh-CN.json';
import courtZh from './court.zh-CN.json';
import courtMoneyZh from './court-money.zh-CN.json';
import creditZh from './credit.zh-CN.json';
import disclosureZh from './disclosure.zh-CN.json';
import followZh from './follow.zh-CN.json';
import fundsZh from './funds.zh-CN.json';
import homeZh from './home.zh-CN.json';
import indicatorsZh from './indicators.zh-CN.json';
import moneyZh from './money.zh-CN.json';
import notifyZh from './notify.zh-CN.json';
import onboardingZh from './onboarding.zh-CN.json';
import practiceZh from './practice.zh-CN.json';
import publicZh from './public.zh-CN.json';
import salesZh from './sales.zh-CN.json';
import zhCN from './zh-CN.json';

/**
 * The Chinese catalogs, one per area (shared, court desk, public pages, money, enforcement aid,
 * after the sale, case lifecycle, case funds, …), merged into one namespace; their top-level keys
 * never overlap (catalogs.test.ts). The browser loads this module only when a page needs a
 * message its HTML did not ship (ADR 004, "Messages on the wire").
 */
export const areas = [
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
  disclosureZh,
  followZh,
  homeZh,
  practiceZh,
] as const;

export const messages: Record<string, unknown> = Object.assign({}, ...areas);
