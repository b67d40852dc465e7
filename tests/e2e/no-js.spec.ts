import { DEMO, DEMO_PASSWORD, expect, submitLogin, test } from './fixtures';

// Forms are plain HTML posts first: they must work with JavaScript off (the browser then sends
// the Origin of a same-origin post only if the Referrer-Policy allows it, see server/http/app.ts).
test.use({ javaScriptEnabled: false });

test('without JavaScript, the login form posts and signs in, and the language switch works', async ({
  page,
}) => {
  await page.goto('/login');
  await submitLogin(page, DEMO.bidder, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: '中文' })).toBeVisible();
});
