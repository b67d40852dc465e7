import { describe, expect, it } from 'vitest';
import en from './en.json';
import zhCN from './zh-CN.json';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('message catalogs', () => {
  it('zh-CN and en hold the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('no message is empty', () => {
    const leaves = (obj: object): string[] =>
      Object.values(obj).flatMap((v) => (typeof v === 'object' ? leaves(v) : [String(v)]));
    expect(leaves(zhCN).filter((s) => s.trim() === '')).toEqual([]);
    expect(leaves(en).filter((s) => s.trim() === '')).toEqual([]);
  });
});
