import { describe, expect, it } from 'vitest';
import { CreateAssetSchema } from '../cases/schemas';
import { canonicalCity, canonicalProvince, citiesOf, PROVINCES } from './divisions';

describe('the administrative divisions code list', () => {
  it('holds the 31 provincial divisions with their prefecture-level cities', () => {
    expect(PROVINCES).toHaveLength(31);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(31);
    expect(PROVINCES.flatMap((p) => p.cities).length).toBeGreaterThan(330);
    expect(citiesOf('青海省').map((c) => c.name)).toEqual([
      '西宁市',
      '海东市',
      '海北藏族自治州',
      '黄南藏族自治州',
      '海南藏族自治州',
      '果洛藏族自治州',
      '玉树藏族自治州',
      '海西蒙古族藏族自治州',
    ]);
    // A municipality is its own city.
    expect(citiesOf('北京').map((c) => c.name)).toEqual(['北京市']);
  });

  it('matches the everyday short names: 青海 finds 青海省', () => {
    expect(canonicalProvince('青海')).toBe('青海省');
    expect(canonicalProvince('青海省')).toBe('青海省');
    expect(canonicalProvince(' 63 ')).toBe('青海省');
    expect(canonicalProvince('广西')).toBe('广西壮族自治区');
    expect(canonicalProvince('新疆')).toBe('新疆维吾尔自治区');
    expect(canonicalProvince('上海')).toBe('上海市');
    expect(canonicalProvince('青')).toBeNull();
    expect(canonicalProvince('')).toBeNull();
  });

  it('finds a city by its short name, inside the province when given', () => {
    expect(canonicalCity('西宁', '青海')).toBe('西宁市');
    expect(canonicalCity('海北', '青海省')).toBe('海北藏族自治州');
    expect(canonicalCity('海西', '青海省')).toBe('海西蒙古族藏族自治州');
    expect(canonicalCity('大兴安岭', '黑龙江')).toBe('大兴安岭地区');
    expect(canonicalCity('西宁', '河南省')).toBeNull();
    expect(canonicalCity('西宁')).toBe('西宁市');
  });
});

describe('an asset is stored with the names on the list', () => {
  it("the clerk's 青海 / 西宁 become 青海省 / 西宁市; an unlisted name stays as typed", () => {
    const base = {
      type: 'residential',
      title: '住宅',
      district: '城西区',
      address: '五四西路 1 号',
      description: '住宅一套',
      appraisal: '1000000',
      appraisalBasis: 'appraisal_report',
      appraisalDate: '2026-11-01',
    };
    expect(CreateAssetSchema.parse({ ...base, province: '青海', city: '西宁' })).toMatchObject({
      province: '青海省',
      city: '西宁市',
    });
    expect(CreateAssetSchema.parse({ ...base, province: '青海省', city: '某新区' })).toMatchObject({
      province: '青海省',
      city: '某新区',
    });
  });

  it('refuses a city of another province (the pickers list every city until a province is chosen)', () => {
    const base = {
      type: 'residential',
      title: '住宅',
      address: '五四西路 1 号',
      description: '住宅一套',
      appraisal: '1000000',
      appraisalBasis: 'appraisal_report',
      appraisalDate: '2026-11-01',
    };
    const wrong = CreateAssetSchema.safeParse({ ...base, province: '河南省', city: '西宁市' });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['city', 'validation.cityNotInProvince'],
    ]);
    expect(CreateAssetSchema.safeParse({ ...base, province: '青海', city: '西宁' }).success).toBe(true);
    // A municipality is its own city; an unlisted name is not judged.
    expect(CreateAssetSchema.safeParse({ ...base, province: '北京市', city: '北京市' }).success).toBe(true);
    expect(CreateAssetSchema.safeParse({ ...base, province: '河南省', city: '某新区' }).success).toBe(true);
  });
});
