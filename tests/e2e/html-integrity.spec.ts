import { expect, test } from '@playwright/test';

// React 18.3 can leak NUL bytes into streamed HTML where Chinese text straddles a 2 KB chunk
// (react#31134); app/entry.server.tsx drops them. Every demo announcement page is checked.
test('server-rendered pages hold no NUL byte', async ({ request }) => {
  const search = await (await request.get('/auctions?sort=starts_desc')).text();
  const ids = [...new Set([...search.matchAll(/href="\/auctions\/([0-9a-f-]{36})"/g)].map((m) => m[1]))];
  expect(ids.length).toBeGreaterThan(3);
  for (const path of ['/', '/auctions', '/calendar', ...ids.map((id) => `/auctions/${id}`)]) {
    const body = await (await request.get(path)).body();
    expect(body.includes(0), `NUL byte in ${path}`).toBe(false);
  }
});
