import { execFile } from 'node:child_process';
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
    verdict: { ok: boolean; length: number; differences: unknown[] };
    entries: Array<{
      seq: number;
      type: string;
      at: string;
      payload: Record<string, unknown>;
      prevHash: string;
      hash: string;
    }>;
  };
  // The chain holds, and the bids table and the auction's standing agree with it.
  expect(body.verdict).toMatchObject({ ok: true, length: body.entries.length, differences: [] });
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

test('the standalone verifier checks an auction against the signed checkpoints', async ({
  page,
  baseURL,
}) => {
  await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
  await page.getByRole('link', { name: SHOP }).first().click();
  await expect(page).toHaveURL(/\/auctions\/[0-9a-f-]{36}$/);
  const listingId = page.url().split('/').pop()!;
  // The server took a checkpoint at boot; the verifier trusts nothing else of ours.
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, ['scripts/verify-auction.mjs', baseURL!, listingId], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
    ),
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/checkpoint #\d+ holds \d+ leaves of this auction/);
  expect(run.stdout).toContain(`OK: auction ${listingId}`);
});

test('the auction page links to the record check, which says the record agrees with the log', async ({
  page,
}) => {
  await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
  await page.getByRole('link', { name: SHOP }).first().click();
  await expect(page).toHaveURL(/\/auctions\/[0-9a-f-]{36}$/);
  const listingId = page.url().split('/').pop()!;
  await page.getByRole('link', { name: '核验竞价记录' }).click();
  await expect(page).toHaveURL(`/auctions/${listingId}/verify`);
  await expect(page.getByRole('heading', { level: 1, name: '竞价记录核验' })).toBeVisible();
  await expect(page.getByTestId('record-verdict')).toContainText('核验通过');
  await expect(page.getByTestId('record-differences')).toHaveCount(0);
  await expect(page.getByRole('link', { name: /日志原文/ })).toHaveAttribute(
    'href',
    `/auctions/${listingId}/chain.json`,
  );
});
