import { withCheckCharacter } from '../../server/identity/national-id';
import { fileCase } from './cases';
import { DEMO, DEMO_PASSWORD, expect, expectNoHorizontalScroll, logIn, logOut, test } from './fixtures';

const unique = () => (Date.now() * 10 + (process.pid % 10)) % 1_000_000;

/** Today in Beijing plus `days`, `YYYY-MM-DD`. */
const beijingDay = (days = 0) =>
  new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

test('a bounty: the court publishes it, an anonymous visitor sends a tip and follows it by its receipt code, the court verifies it and awards the reward', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const n = unique();
  const caseNumber = `(2025)青0104执${n}号`;
  const debtor = `悬赏测试${n}`;
  const idNumber = withCheckCharacter(
    `630104197505${String(10 + (n % 18)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`,
  );
  const lead = `被执行人${debtor}在城北区有一处商铺出租，编号${n}。`;

  // The clerk records the applicant's written application on the case.
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  await fileCase(page, { caseNumber, amount: '200000' });
  await page.getByRole('link', { name: '悬赏执行' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${caseNumber} 悬赏执行` })).toBeVisible();
  const apply = page.getByRole('form', { name: '登记悬赏申请' });
  await apply.getByLabel('悬赏方式').selectOption('percent');
  await apply.getByLabel('按执行到位金额的比例（%）').fill('10');
  await apply.getByLabel('最高奖励（元，可选）').fill('20000');
  await apply
    .getByLabel('领取条件')
    .fill('提供本院未掌握的财产线索，经查证属实并执行到位的，按到位金额10%奖励，最高2万元。');
  await apply.getByLabel('被执行人姓名或名称').fill(debtor);
  await apply.getByLabel('被执行人类型').selectOption('person');
  await apply.getByLabel('身份证号码或统一社会信用代码').fill(idNumber);
  await apply.getByLabel('最后已知住址').fill('西宁市城中区某某路1号');
  await apply.getByLabel('未履行金额（元）').fill('200000');
  await apply.getByLabel('公告截止日期').fill(beijingDay(60));
  await apply.getByRole('checkbox', { name: /申请执行人承诺/ }).check();
  await apply.getByRole('button', { name: '登记悬赏申请' }).click();
  await expect(page.getByRole('status')).toHaveText('悬赏申请已登记，待法官决定。');
  await expect(page.getByTestId('notice-status')).toHaveText('待决定');
  // The clerk may not decide it.
  await expect(page.getByRole('form', { name: '作出决定' })).toHaveCount(0);
  const bountyUrl = page.url().replace(/\?.*$/, '');
  await logOut(page);

  // A judge of the panel approves it: published.
  await logIn(page, 'panel@demo.lastmile.test', DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  await page.goto(bountyUrl);
  const decide = page.getByRole('form', { name: '作出决定' });
  await decide.getByLabel('决定', { exact: true }).selectOption('approve');
  await decide.getByRole('button', { name: '作出决定' }).click();
  await expect(page.getByRole('status')).toHaveText('已作出决定。');
  await expect(page.getByTestId('notice-status')).toHaveText('公告中');
  await logOut(page);

  // An anonymous visitor on a phone: from the home page to the notice, the ID masked.
  const visitor = await browser.newPage();
  await visitor.setViewportSize({ width: 390, height: 844 });
  await visitor.goto('/');
  await visitor.getByRole('link', { name: '查看悬赏公告' }).click();
  await expect(visitor.getByRole('heading', { level: 1, name: '悬赏公告' })).toBeVisible();
  const card = visitor.getByTestId('public-notice').filter({ hasText: debtor });
  await expect(card.getByTestId('notice-id')).toHaveText(`${idNumber.slice(0, 10)}****${idNumber.slice(-4)}`);
  await expect(card.getByTestId('notice-reward')).toHaveText('执行到位金额的10%（最高¥20,000.00）');
  await expect(card).not.toContainText(idNumber);
  await card.getByRole('link', { name: '查看公告并提供线索' }).click();
  await expect(visitor.getByRole('heading', { level: 1, name: `悬赏公告：${debtor}` })).toBeVisible();
  await expectNoHorizontalScroll(visitor);
  const form = visitor.getByRole('form', { name: '提供线索' });
  await form.getByLabel('线索类型').selectOption('property');
  await form.getByLabel('线索内容').fill(lead);
  await form.getByLabel('您的姓名').fill('热心群众');
  await form.getByLabel('联系电话').fill('13800000000');
  // Without the declaration: refused, nothing registered.
  await form.getByRole('button', { name: '提供线索' }).click();
  await expect(form.getByText('请确认您不是申请执行人的代理人或负有报告义务的人。')).toBeVisible();
  await form.getByRole('checkbox', { name: /本人不是申请执行人的代理人/ }).check();
  await form.getByRole('button', { name: '提供线索' }).click();
  const receipt = (await visitor.getByTestId('receipt-code').textContent())!;
  expect(receipt).toMatch(/^XS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  // He follows it by its code: registered, awaiting review; nothing of its content.
  await visitor.getByRole('link', { name: '凭回执码查询线索进度' }).click();
  const check = visitor.getByRole('form', { name: '查询线索进度' });
  await check.getByLabel('回执码').fill(receipt.toLowerCase());
  await check.getByRole('button', { name: '查询' }).click();
  await expect(visitor.getByTestId('tip-state')).toHaveText('已登记，待审查');
  await expect(visitor.getByTestId('tip-status')).not.toContainText('商铺');

  // The clerk reads the tip (the reading logged) and verifies it.
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  await expect(page.getByTestId('pressure-tips')).not.toHaveText('0');
  await page.goto(bountyUrl);
  const row = page.getByTestId('tip-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('tip-status')).toHaveText('已登记，待审查');
  await expect(row).not.toContainText('商铺');
  await row.getByRole('link').click();
  await expect(page.getByTestId('tip-lead')).toHaveText(lead);
  await expect(page.getByTestId('tip-informant')).toHaveText('热心群众 · 13800000000');
  await expect(page.getByTestId('access-row').filter({ hasText: '王书记员' })).toHaveCount(1);
  const assess = page.getByRole('form', { name: '审查线索' });
  await assess.getByLabel('审查结论').selectOption('valid');
  await assess.getByRole('button', { name: '审查线索' }).click();
  await expect(page.getByRole('status')).toHaveText('线索已审查。');
  await expect(page.getByTestId('tip-status')).toHaveText('经查证属实');
  // Awarding is a judge's.
  await expect(page.getByRole('form', { name: '确定奖励' })).toHaveCount(0);
  const tipUrl = page.url().replace(/\?.*$/, '');
  await logOut(page);

  // The money recovered through the lead: ¥250,000; 10% is ¥25,000, the cap ¥20,000.
  await logIn(page, 'panel@demo.lastmile.test', DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  await page.goto(tipUrl);
  const award = page.getByRole('form', { name: '确定奖励' });
  await award.getByLabel('因该线索执行到位金额（元）').fill('250000');
  await award.getByRole('button', { name: '确定奖励' }).click();
  await expect(page.getByRole('status')).toHaveText('奖励已确定，已计入执行费用。');
  await expect(page.getByTestId('tip-award')).toHaveText(
    '执行到位 ¥250,000.00，奖励 ¥20,000.00，从执行款中扣除 ¥20,000.00。',
  );
  // Each load of the page is a reading, logged: the judge's before and after his award.
  await expect(page.getByTestId('access-row').filter({ hasText: '李法官' })).toHaveCount(2);
  await expect(page.getByRole('form', { name: '确定奖励' })).toHaveCount(0);

  // The informant checks again: the reward is his.
  await visitor.goto('/bounties/receipt');
  await visitor.getByRole('form', { name: '查询线索进度' }).getByLabel('回执码').fill(receipt);
  await visitor.getByRole('button', { name: '查询' }).click();
  await expect(visitor.getByTestId('tip-state')).toHaveText('已确定奖励');
  await expect(visitor.getByTestId('tip-reward')).toHaveText('¥20,000.00');
  await visitor.close();
});
