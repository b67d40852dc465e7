import { createHash } from 'node:crypto';
import { canonicalJson } from '../../server/auctions/chain';
import { expect, test } from './fixtures';

/** A live demo auction (server/demo/seed-auctions.ts). */
const SHOP = '西宁市城西区五四大街临街商铺（一层）';

test('anyone can fetch an auction’s event log and recompute its hash chain', async ({ page, request }) => {
  await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
  await page.getByRole('link', { name: SHOP }).first().click();
  await expect(page).toHaveURL(/\/auctions\/[0-9a-f-]{36}$/);
  const listingId = page.url().split('/').pop()!;
  const res = await request.get(`/auctions/${listingId}/chain`);
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as {
    verdict: { ok: boolean; length: number };
    entries: Array<{
      seq: number;
      type: string;
      at: string;
      payload: Record<string, unknown>;
      prevHash: string;
      hash: string;
    }>;
  };
  expect(body.verdict).toMatchObject({ ok: true, length: body.entries.length });
  expect(body.entries.map((e) => e.payload.to)).toEqual(expect.arrayContaining(['announced', 'live']));
  // Recomputed here, independently of the server's verdict.
  let prev = createHash('sha256').update(`lastmile:auction:${listingId}`).digest('hex');
  for (const e of body.entries) {
    expect(e.prevHash).toBe(prev);
    const content = canonicalJson({ listingId, seq: e.seq, type: e.type, at: e.at, payload: e.payload });
    prev = createHash('sha256').update(`${prev}\n${content}`).digest('hex');
    expect(e.hash).toBe(prev);
  }
  // Identities never appear in the public log.
  expect(JSON.stringify(body)).not.toMatch(/realName|userId|registrationId/);
  expect((await request.get('/auctions/00000000-0000-4000-8000-000000000000/chain')).status()).toBe(404);
});
