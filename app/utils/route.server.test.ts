import { describe, expect, it } from 'vitest';
import { formObject, safeRedirect } from './route.server';

describe('safeRedirect', () => {
  it('follows same-site paths only', () => {
    expect(safeRedirect('/me?tab=1')).toBe('/me?tab=1');
    expect(safeRedirect('//evil.example/x')).toBe('/');
    expect(safeRedirect('/\\evil.example')).toBe('/');
    expect(safeRedirect('https://evil.example')).toBe('/');
    expect(safeRedirect(null, '/court')).toBe('/court');
  });
});

describe('formObject', () => {
  it('drops the token and empty fields and keeps repeated names as arrays', () => {
    const f = new FormData();
    f.append('csrf', 't');
    f.append('email', 'a@b.cn');
    f.append('phone', '');
    f.append('roles', 'court_clerk');
    f.append('roles', 'court_panel');
    expect(formObject(f, ['roles'])).toEqual({ email: 'a@b.cn', roles: ['court_clerk', 'court_panel'] });
  });
});
