/** Any C0 or C1 control character: browsers drop tabs and newlines from a URL, so `/\t/x` becomes `//x`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BASE = 'http://lastmile.invalid';

/**
 * The one check of every redirect target taken from a request (`redirectTo` after login, the
 * language switch …): a path on this site, or the fallback. Refused: anything not starting with
 * one `/` (`//host`, `/\host`, schemes), any backslash or control character, and whatever a
 * browser would resolve to another origin. Returns the path as a URL parser normalises it.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || to.length > 2048) return fallback;
  if (!to.startsWith('/') || to.startsWith('//') || to.includes('\\') || CONTROL.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Normalising may itself make a network path: `/.//evil.example` → `//evil.example`.
  if (url.origin !== BASE || path.startsWith('//')) return fallback;
  return path;
}
