import { describe, expect, it } from 'vitest';
import { formObject } from './route.server';

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
