import { describe, expect, it } from 'vitest';
import type { RecordDifference } from '../../server/auctions/record';
import { renderInRoute } from '../../tests/support/render';
import VerifyPage from './auctions.$listingId_.verify';

const ID = '0b1e8a52-3f6c-4d7e-9a10-5c2b7e4f9d31';
const base = {
  listingId: ID,
  title: '西宁市城西区五四大街临街商铺',
  brokenAt: null,
  length: 7,
  head: 'ab'.repeat(32),
  entries: [] as unknown[],
};
const differences: RecordDifference[] = [
  { where: 'listing', kind: 'differs', field: 'currentPriceFen', log: '70700000', table: '1' },
  { where: 'listing', kind: 'differs', field: 'currentEndAt', log: '2026-03-02T02:05:00.000Z', table: null },
  { where: 'listing', kind: 'differs', field: 'status', log: 'live', table: 'suspended' },
  { where: 'bids', seq: 3, kind: 'missing', code: 'KMPW', amountFen: '70000000' },
  { where: 'bids', seq: 4, kind: 'differs', field: 'code', log: 'QRST', table: 'ZZZZ' },
];

/** The text of each row of the differences table. */
const rows = (html: string) =>
  [...html.matchAll(/<tr><th scope="row">(.*?)<\/tr>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, '|'));

describe('the record check page', () => {
  it('an agreeing record: the verdict, the head, no table', async () => {
    const html = await renderInRoute(<VerifyPage />, { data: { ...base, ok: true, differences: [] } });
    expect(html).toContain('核验通过：日志共 7 条');
    expect(html).toContain('ab'.repeat(32));
    expect(html).not.toContain('data-testid="record-differences"');
    expect(html).toContain(`href="/auctions/${ID}/chain.json"`);
  });

  it('says where each table differs from the log, in Chinese and in English, values formatted', async () => {
    const data = { ...base, ok: false, differences };
    const zh = await renderInRoute(<VerifyPage />, { data });
    expect(zh).toContain('平台数据有 5 处与日志不一致');
    expect(rows(zh)).toEqual([
      '当前竞价状态||当前价||¥707,000.00||¥0.01|',
      '当前竞价状态||结束时间||2026/03/02 10:05:00||—|',
      '当前竞价状态||拍卖状态||竞价中||已暂缓|',
      '第 3 条（出价）||出价记录缺少此出价||KMPW · ¥700,000.00||—|',
      '第 4 条（出价）||竞买号||QRST||ZZZZ|',
    ]);
    const en = await renderInRoute(<VerifyPage />, { data, locale: 'en' });
    expect(en).toContain('differs from the log in 5 places');
    expect(rows(en)[3]).toBe(
      'Entry 3 (a bid)||This bid is missing from the bids on record||KMPW · ¥700,000.00||—|',
    );
  });

  it('a broken chain: where it breaks', async () => {
    const html = await renderInRoute(<VerifyPage />, {
      data: { ...base, ok: false, brokenAt: 4, length: null, head: null, differences: [] },
    });
    expect(html).toContain('哈希链在第 4 条断开');
  });

  it('each entry of the log, its hash, and how to verify it oneself', async () => {
    const entries = [
      {
        seq: 1,
        type: 'status',
        at: '2026-12-06T02:00:00.000Z',
        code: null,
        amountFen: null,
        source: null,
        to: 'live',
        prevHash: 'p'.repeat(64),
        hash: 'c'.repeat(64),
      },
      {
        seq: 2,
        type: 'bid',
        at: '2026-12-06T02:01:00.000Z',
        code: 'KMPW',
        amountFen: '161000000',
        source: 'live',
        to: null,
        prevHash: 'c'.repeat(64),
        hash: 'd'.repeat(64),
      },
      {
        seq: 3,
        type: 'bid',
        at: '2026-12-06T02:01:00.000Z',
        code: 'QRST',
        amountFen: '161800000',
        source: 'proxy',
        to: null,
        prevHash: 'd'.repeat(64),
        hash: 'e'.repeat(64),
      },
    ];
    const html = await renderInRoute(<VerifyPage />, {
      data: { ...base, ok: true, differences: [], length: 3, entries },
    });
    expect(html).toContain('竞买号 KMPW 出价 ¥1,610,000.00');
    expect(html).toContain('竞买号 QRST 委托出价 ¥1,618,000.00');
    expect(html).toContain(`title="${'e'.repeat(64)}"`);
    expect(html).toContain('如何自行核验');
    expect(html).toContain(`href="/auctions/${ID}/chain.json"`);
  });
});
