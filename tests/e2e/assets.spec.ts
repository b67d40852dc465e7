import { expect, test } from './fixtures';

// What a phone receives (ADR 034): the page's scripts and stylesheets come compressed and are
// kept a year without asking again (their names change with their content), and the live
// auction page does not wait for long polling before its socket connects.

test('the home page’s scripts and stylesheets arrive brotli-compressed and immutable for a year', async ({
  page,
}) => {
  const assets: { url: string; headers: Record<string, string> }[] = [];
  page.on('response', async (response) => {
    const type = response.request().resourceType();
    if (type === 'script' || type === 'stylesheet')
      assets.push({ url: response.url(), headers: await response.allHeaders() });
  });
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  const scripts = assets.filter((a) => a.url.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  expect(assets.some((a) => a.url.endsWith('.css'))).toBe(true);
  for (const { url, headers } of assets) {
    expect(new URL(url).pathname, url).toMatch(/^\/assets\//);
    expect(headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
    // Chromium accepts brotli; every built script and stylesheet has a copy (none is tiny enough to skip).
    expect(headers['content-encoding'], url).toBe('br');
  }
});

test('a live auction page connects its socket over a WebSocket, without long polling first', async ({
  page,
}) => {
  const SHOP = '西宁市城西区五四大街临街商铺（一层）'; // live in the demo data
  const sockets: string[] = [];
  const polls: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  page.on('request', (request) => {
    if (request.url().includes('/socket.io/') && request.url().includes('transport=polling'))
      polls.push(request.url());
  });
  await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
  // Loaded as a page (not a client-side navigation): the socket opens before hydration.
  const href = await page.getByRole('link', { name: SHOP }).first().getAttribute('href');
  await page.goto(href!);
  await expect(page.getByRole('status').filter({ hasText: '实时更新已连接' })).toBeVisible();
  expect(sockets.some((url) => /\/socket\.io\/\?.*transport=websocket/.test(url))).toBe(true);
  expect(polls).toEqual([]);
});
