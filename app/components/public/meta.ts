import type { TFunction } from 'i18next';
import type { Locale } from '../../../server/http/cookies';
import { createI18n } from '../../i18n/i18n';

const translators = new Map<Locale, TFunction>();

/** `meta` runs outside React, so it cannot use the hook: a translator per locale, from the root data. */
function translator(matches: readonly { id: string; data?: unknown }[]): TFunction {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: string } | undefined;
  const locale: Locale = root?.locale === 'en' ? 'en' : 'zh-CN';
  let t = translators.get(locale);
  if (!t) {
    t = createI18n(locale).t;
    translators.set(locale, t);
  }
  return t;
}

/** `[{ title: "<page> · 最后一公里" }]`; `title` is a catalog key, or literal text with `literal`. */
export function pageTitle(
  matches: readonly { id: string; data?: unknown }[],
  title: string,
  opts: { literal?: boolean } = {},
) {
  const t = translator(matches);
  return [{ title: `${opts.literal ? title : t(title)} · ${t('common.appName')}` }];
}
