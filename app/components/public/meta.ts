import type { TFunction } from 'i18next';
import type { Locale } from '../../../server/http/cookies';
import { translatorFor } from '../../i18n/i18n';

/** `meta` runs outside React, so it cannot use the hook: the entries' translator, in the root data's locale. */
function translator(matches: readonly { id: string; data?: unknown }[]): TFunction {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: string } | undefined;
  const locale: Locale = root?.locale === 'en' ? 'en' : 'zh-CN';
  return translatorFor(locale);
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
