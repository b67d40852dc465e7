import { describe, expect, it } from 'vitest';
import { safeRedirect } from './safe-redirect';

/** Where a browser goes with that Location: it drops tabs and newlines first (URL spec). */
const landing = (location: string) =>
  new URL(location.replace(/[\t\n\r]/g, ''), 'https://lastmile.example').origin;

describe('safeRedirect', () => {
  it('follows same-site paths, normalised', () => {
    expect(safeRedirect('/me?tab=1')).toBe('/me?tab=1');
    expect(safeRedirect('/court/cases/abc#top')).toBe('/court/cases/abc#top');
    expect(safeRedirect('/a/../me')).toBe('/me');
    expect(safeRedirect('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example'); // one path segment
  });

  it.each([
    '//evil.example/x',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '/\t/evil.example', // redirectTo=%2F%09%2Fevil.example: the browser makes it //evil.example
    '/\n/evil.example',
    '/\r\n/evil.example',
    '\t//evil.example',
    '/\u0000/evil.example',
    '/\u007f',
    ' //evil.example',
    'evil.example',
    '',
    '/.//evil.example',
    '/x/..//evil.example',
    `/${'a'.repeat(3000)}`,
  ])('refuses %# and falls back', (to) => {
    expect(safeRedirect(to, '/court')).toBe('/court');
  });

  it('never returns a target that a browser resolves to another origin', () => {
    const tries = ['/\t/evil.example', '/.//evil.example', '/%09/evil.example', '/./\\evil', '/x/..//evil'];
    for (const t of tries) expect(landing(safeRedirect(t))).toBe('https://lastmile.example');
  });

  it('falls back for anything that is not a string', () => {
    expect(safeRedirect(null, '/court')).toBe('/court');
    expect(safeRedirect(undefined)).toBe('/');
  });
});
