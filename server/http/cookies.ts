import { parse, serialize } from 'cookie';

/** Cookie names and options: one place, read by the Express middleware and written by Remix actions. */
export const SESSION_COOKIE = 'lm_session';
export const CSRF_COOKIE = 'lm_csrf';
export const LANG_COOKIE = 'lm_lang';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const parseCookies = (header: string | undefined | null) => parse(header ?? '');

export function localeFrom(header: string | undefined | null): Locale {
  const value = parseCookies(header)[LANG_COOKIE];
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : DEFAULT_LOCALE;
}

export function sessionCookie(token: string, expires: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires });
}

export function clearSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 });
}

export function csrfCookie(token: string, secure: boolean): string {
  return serialize(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

export function langCookie(locale: Locale, secure: boolean): string {
  return serialize(LANG_COOKIE, locale, { sameSite: 'lax', secure, path: '/', maxAge: 60 * 60 * 24 * 365 });
}
