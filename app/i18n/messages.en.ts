import accountsEn from './accounts.en.json';
import aidEn from './aid.en.json';
import biddingEn from './bidding.en.json';
import bountiesEn from './bounties.en.json';
import casesEn from './cases.en.json';
import courtEn from './court.en.json';
import courtMoneyEn from './court-money.en.json';
import creditEn from './credit.en.json';
import disclosureEn from './disclosure.en.json';
import en from './en.json';
import followEn from './follow.en.json';
import fundsEn from './funds.en.json';
import homeEn from './home.en.json';
import indicatorsEn from './indicators.en.json';
import moneyEn from './money.en.json';
import notifyEn from './notify.en.json';
import onboardingEn from './onboarding.en.json';
import practiceEn from './practice.en.json';
import publicEn from './public.en.json';
import salesEn from './sales.en.json';

/**
 * The English catalogs, one per area (shared, court desk, public pages, money, enforcement aid,
 * after the sale, case lifecycle, case funds, …), merged into one namespace; their top-level keys
 * never overlap (catalogs.test.ts). The browser loads this module only when a page needs a
 * message its HTML did not ship (ADR 004, "Messages on the wire").
 */
export const areas = [
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
  disclosureEn,
  followEn,
  homeEn,
  practiceEn,
] as const;

export const messages: Record<string, unknown> = Object.assign({}, ...areas);
