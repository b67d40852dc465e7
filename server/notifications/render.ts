/**
 * Messages in the recipient's language, from the same catalog keys the in-site list shows
 * (`notifications.<kind>`), with the e-mail subject and the SMS frame of `notify.*`.
 */
import i18next, { type TFunction } from 'i18next';
import moneyEn from '../../app/i18n/money.en.json' with { type: 'json' };
import moneyZh from '../../app/i18n/money.zh-CN.json' with { type: 'json' };
import notifyEn from '../../app/i18n/notify.en.json' with { type: 'json' };
import notifyZh from '../../app/i18n/notify.zh-CN.json' with { type: 'json' };
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../http/cookies.js';

const instance = i18next.createInstance();
void instance.init({
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  resources: {
    'zh-CN': { translation: { ...moneyZh, ...notifyZh } },
    en: { translation: { ...moneyEn, ...notifyEn } },
  },
  initAsync: false,
  // Plain text (e-mail text part, SMS): nothing to escape.
  interpolation: { escapeValue: false },
  returnNull: false,
});

const tFor = (locale: string): TFunction =>
  instance.getFixedT((LOCALES as readonly string[]).includes(locale) ? (locale as Locale) : DEFAULT_LOCALE);

export interface NoticeToRender {
  kind: string;
  params: Record<string, string>;
  link: string | null;
}

/** The e-mail: subject, then the notice's sentence, where it leads, and where to change the choice. */
export function renderEmail(n: NoticeToRender, locale: string, origin: string) {
  const t = tFor(locale);
  const body = t(`notifications.${n.kind}`, n.params);
  const lines = [body, ''];
  if (n.link) lines.push(t('notify.email.open', { url: origin + n.link }), '');
  lines.push('--', t('notify.email.footer', { url: `${origin}/me/notifications` }));
  return {
    subject: t(`notify.subject.${n.kind}`, { ...n.params, defaultValue: t('notify.subject.default') }),
    text: lines.join('\n'),
  };
}

/** The SMS: the signature the carriers require, the sentence, and the link. */
export function renderSms(n: NoticeToRender, locale: string, origin: string) {
  const t = tFor(locale);
  const body = t(`notifications.${n.kind}`, n.params);
  return t('notify.sms', { body, url: origin + (n.link ?? '/me/notifications') });
}

/** A password-reset message (ADR 028): sent at once, never stored (it carries a live link). */
export function renderPasswordReset(locale: string, params: { name: string; url: string; expires: string }) {
  const t = tFor(locale);
  return {
    subject: t('notify.passwordReset.subject'),
    text: t('notify.passwordReset.email', params),
    sms: t('notify.passwordReset.sms', params),
  };
}
