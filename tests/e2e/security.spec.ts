import { DEMO, DEMO_PASSWORD, expect, test } from './fixtures';

test('a cross-site form post is refused before it can log anyone in', async ({ request }) => {
  // A real form: the page's anti-forgery token and cookie, and the right password. Only the
  // headers that say where the post comes from differ between the two posts below.
  const page = await request.get('/login');
  expect(page.status()).toBe(200);
  const csrf = /name="csrf" value="([\w-]+)"/.exec(await page.text())?.[1];
  expect(csrf, 'anti-forgery token in the login form').toBeTruthy();
  const form = { csrf: csrf!, email: DEMO.bidder, password: DEMO_PASSWORD, redirectTo: '' };

  const forged = await request.post('/login', {
    form,
    headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(forged.headers()['set-cookie'] ?? '').not.toContain('lm_session=');

  const genuine = await request.post('/login', {
    form,
    headers: { Origin: new URL(page.url()).origin, 'Sec-Fetch-Site': 'same-origin' },
    maxRedirects: 0,
  });
  expect(genuine.status()).toBe(302);
  expect(genuine.headers().location).toBe('/me');
  expect(genuine.headers()['set-cookie']).toContain('lm_session=');
});
