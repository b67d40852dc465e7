import { withCheckCharacter } from '../../server/identity/national-id';
import { fileCase } from './cases';
import { DEMO, DEMO_PASSWORD, expect, expectNoHorizontalScroll, logIn, logOut, test } from './fixtures';

const unique = () => (Date.now() * 10 + (process.pid % 10)) % 1_000_000;

test('a court lists a debtor, the president signs, the public finds him with a masked ID; he pays and the listing disappears', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const n = unique();
  const caseNumber = `(2025)青0104执${n}号`;
  // A person born 12 May 1975 (an adult), unique per run.
  const idNumber = withCheckCharacter(
    `630104197505${String(10 + (n % 18)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`,
  );
  const name = `失信测试${n}`;

  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  await fileCase(page, { caseNumber, amount: '80000' });
  await page.getByRole('link', { name: '失信名单与限制消费令' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${caseNumber} 失信与限制消费` })).toBeVisible();

  const prepare = page.getByRole('form', { name: '拟定纳入失信名单决定' });
  await prepare.getByLabel('被执行人类型').selectOption('person');
  await prepare.getByLabel('被执行人姓名或名称').fill(name);
  await prepare.getByLabel('身份证号码或统一社会信用代码').fill(idNumber);
  await prepare.getByLabel('失信情形').selectOption('1');
  await prepare.getByLabel('失信行为具体情形').fill('有履行能力而拒不履行生效法律文书确定的义务');
  await prepare.getByLabel('证据', { exact: true }).fill('银行流水显示其账户有大额资金往来');
  await prepare.getByLabel('生效法律文书确定的义务').fill('支付货款人民币80,000元');
  await prepare.getByRole('button', { name: '拟定纳入失信名单决定' }).click();
  await expect(page.getByRole('status')).toHaveText('决定已拟定，待院长签发。');
  const listing = page.getByTestId('listing');
  await expect(listing.getByTestId('listing-status')).toHaveText('拟定中');
  // The clerk may not sign it.
  await expect(page.getByRole('form', { name: '院长签发' })).toHaveCount(0);
  const creditUrl = page.url().replace(/\?.*$/, '');
  await logOut(page);

  // The president signs: in force and published at once (no grace period), with its restriction order.
  await logIn(page, 'president@demo.lastmile.test', DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  await page.goto(creditUrl);
  await page.getByRole('form', { name: '院长签发' }).getByRole('button', { name: '院长签发' }).click();
  await expect(page.getByRole('status')).toHaveText('已签发。');
  await expect(listing.getByTestId('listing-status')).toHaveText('已公布');
  await expect(page.getByTestId('restriction').getByTestId('restriction-status')).toHaveText('生效中');
  await logOut(page);

  // The public: from the home page to the query, by name; the ID masked as the national list masks it.
  const visitor = await browser.newPage();
  await visitor.goto('/');
  await visitor.getByRole('link', { name: '查询失信被执行人' }).click();
  await expect(
    visitor.getByRole('heading', { level: 1, name: '失信被执行人与限制消费人员查询' }),
  ).toBeVisible();
  const search = visitor.getByRole('search', { name: '查询条件' });
  await search.getByLabel('被执行人姓名或名称').fill(name);
  await search.getByRole('button', { name: '查询' }).click();
  const entry = visitor.getByTestId('public-listing');
  await expect(entry).toHaveCount(1);
  await expect(entry.getByRole('heading', { name })).toBeVisible();
  await expect(entry.getByTestId('public-id')).toHaveText(
    `${idNumber.slice(0, 10)}****${idNumber.slice(-4)}`,
  );
  await expect(entry).toContainText(caseNumber);
  await expect(entry).toContainText('西宁市城西区人民法院');
  await expect(entry).not.toContainText(idNumber);
  await expect(visitor.getByTestId('public-restricted')).toHaveCount(1);
  const resultUrl = visitor.url();

  // The debtor pays: the court closes the case as fully performed; the closure deletes the listing.
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  await page.goto(creditUrl.replace(/\/credit$/, ''));
  const close = page.getByRole('form', { name: '结案' });
  await close.getByLabel('结案方式').selectOption('fully_performed');
  await close.getByLabel('执行到位金额（元）').fill('80000');
  await close.getByRole('button', { name: '结案' }).click();
  await expect(page.getByRole('status')).toHaveText('案件已结案。');
  await page.goto(creditUrl);
  await expect(listing.getByTestId('listing-status')).toHaveText('已删除');
  await expect(listing.getByTestId('deletion-ground')).toHaveText('已全部履行');
  await expect(page.getByTestId('restriction').getByTestId('restriction-status')).toHaveText('已解除');

  // Gone from the public page.
  await visitor.goto(resultUrl);
  await expect(visitor.getByRole('heading', { name: '失信被执行人：0 条' })).toBeVisible();
  await expect(visitor.getByTestId('public-listing')).toHaveCount(0);
  await expect(visitor.getByTestId('public-restricted')).toHaveCount(0);
  await visitor.close();
});

test('the public query on a phone: a burst of searches is asked a sum, answered, and the demo debtor found', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/credit');
  const search = page.getByRole('search', { name: '查询条件' });
  await expectNoHorizontalScroll(page);
  // Searches until the burst limit asks the challenge (10 a minute, fewer if others searched before).
  let challenged = false;
  for (let i = 0; i < 12 && !challenged; i++) {
    await search.getByLabel('被执行人姓名或名称').fill('马德福');
    await search.getByRole('button', { name: '查询' }).click();
    await page.waitForLoadState('networkidle');
    challenged = (await page.getByTestId('challenge').count()) > 0;
  }
  expect(challenged).toBe(true);
  await expect(page.getByTestId('public-listing')).toHaveCount(0);
  const question = page.getByLabel(/^\d+ 加 \d+ 等于多少？$/);
  const [, a, b] = /^(\d+) 加 (\d+)/.exec(
    (await page.getByText(/^\d+ 加 \d+ 等于多少？$/).textContent()) ?? '',
  )!;
  await question.fill(String(Number(a) + Number(b)));
  await search.getByRole('button', { name: '查询' }).click();
  const entry = page.getByTestId('public-listing');
  await expect(entry).toHaveCount(1);
  await expect(entry.getByTestId('public-id')).toHaveText(/^6301021972\*{4}\d{3}[\dX]$/);
  await expect(page.getByTestId('challenge')).toHaveCount(0);
  await expectNoHorizontalScroll(page);
});

test('the platform registers a partner: its check token is shown once and answers the check API; revoked, it is refused', async ({
  page,
}) => {
  await logIn(page, 'admin@demo.lastmile.test', DEMO_PASSWORD);
  await page.waitForURL(/\/admin$/);
  await page.getByRole('link', { name: '联合惩戒单位' }).click();
  const form = page.getByRole('form', { name: '登记联合惩戒单位' });
  const name = `测试航空${unique()}`;
  await form.getByLabel('单位名称').fill(name);
  await form.getByLabel('类别').selectOption('airline');
  await form.getByRole('button', { name: '登记联合惩戒单位' }).click();
  const secrets = page.getByTestId('partner-secrets');
  await expect(secrets).toContainText('只显示这一次');
  const token = (await secrets.locator('code').first().textContent())!;
  expect(token).toMatch(/^lmp_/);
  // The demo's 马德福 is listed (ground 1) with his order.
  const r = await page.request.get(`/api/v1/credit/check?id=${withCheckCharacter('63010219720315201')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(r.status()).toBe(200);
  expect(await r.json()).toMatchObject({ listed: true, restricted: true });
  await page.reload();
  await expect(page.getByTestId('partner-secrets')).toHaveCount(0);

  // Revoked: its token is refused from now on.
  await page
    .getByRole('form', { name: `吊销 ${name}` })
    .getByRole('button', { name: '吊销' })
    .click();
  await expect(page.getByRole('status')).toHaveText('已吊销。');
  await expect(page.getByRole('row', { name: new RegExp(name) }).getByTestId('partner-status')).toHaveText(
    '已吊销',
  );
  const refused = await page.request.get(
    `/api/v1/credit/check?id=${withCheckCharacter('63010219720315201')}`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  expect(refused.status()).toBe(401);
});
