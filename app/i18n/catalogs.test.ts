import { describe, expect, it } from 'vitest';
import { catalogs, resources } from './catalogs.server';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
const leaves = (obj: object): string[] =>
  Object.values(obj).flatMap((v) => (typeof v === 'object' ? leaves(v) : [String(v)]));

describe('message catalogs', () => {
  it('zh-CN and en hold the same keys', () => {
    expect(keys(resources.en.translation).sort()).toEqual(keys(resources['zh-CN'].translation).sort());
  });

  it('the area catalogs do not overwrite each other', () => {
    for (const parts of Object.values(catalogs)) {
      const tops = parts.flatMap((p) => Object.keys(p));
      expect(tops.length).toBe(new Set(tops).size);
    }
  });

  it('no message is empty', () => {
    for (const r of Object.values(resources))
      expect(leaves(r.translation).filter((s) => s.trim() === '')).toEqual([]);
  });
});
