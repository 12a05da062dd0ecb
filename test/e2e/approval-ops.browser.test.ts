// The approval operations of issue #21 on the mini-app pages, in headless Chromium as their people
// use them: the card's 「加签」 link opens the page at its form (errors next to the fields in
// Chinese, a signer added and removed, both in the history); the leader's 「退回」 form; the
// applicant's 「催办」 once a day; three extension requests approved at once on 「我的审批」; a
// delegation named on 「委托审批」 and a loop refused with its reason.
import type { Browser, Page } from 'playwright-core';
import { requestExtension } from '../../core/hazard/extension';
import { fileHazard } from '../../core/hazard/file-hazard';
import { activeRow, api, applyFor, createOpsWorld, type OpsWorld, type Who } from '../helpers/approval-ops';
import { assertChromium, launchChromium } from '../helpers/browser';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let o: OpsWorld;
let browser: Browser;

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime({ httpPort: true });
  o = await createOpsWorld(t);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A signed-in phone-sized tab for `who` at `url` (免登 with a fresh authCode). */
async function open(who: Who, url: string): Promise<Page> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: who.userId });
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await page.goto(`${t.runtime.httpUrl}${url}${url.includes('?') ? '&' : '?'}authCode=${encodeURIComponent(code)}`);
  await page.locator('#who').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
  return page;
}

const banner = (page: Page) => page.locator('#banner').textContent();
const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);

test('加签 from the card link: errors next to the fields, a signer added then removed, both in the history', async () => {
  const id = await applyFor(t, o, 'permit.design-review', '罐区防雷设计');
  const step = await activeRow(t, id);
  const page = await open(o.wang, `/m/approvals/${id}?step=${step.id}&action=add-signer`);
  const form = page.locator('form#add-signer');
  await form.waitFor();
  await page.locator('select[name="signerId"] option', { hasText: '孙市执法' }).waitFor({ state: 'attached' });
  expect(await focusedName(page)).toBe('signerId');
  await form.getByRole('button', { name: '加签' }).click();
  expect(await form.locator('.field-error').allTextContents()).toEqual(
    expect.arrayContaining(['请选择加签人', '请选择在您之前还是之后审批']),
  );
  expect(await focusedName(page)).toBe('signerId');
  await page.selectOption('select[name="signerId"]', { label: '孙市执法' });
  await form.getByText('在我之后审批').click();
  await form.getByRole('button', { name: '加签' }).click();
  await page.locator('#banner').waitFor();
  expect(await banner(page)).toBe('已加签');
  expect(await page.locator('.decision').allTextContents()).toEqual([expect.stringContaining('王执法 加签 孙市执法')]);
  await page.getByRole('button', { name: '减签：孙市执法（在您之后审批）' }).click();
  await page.getByText('已减签 孙市执法').waitFor();
  expect(await page.locator('.decision').allTextContents()).toEqual([
    expect.stringContaining('加签 孙市执法'),
    expect.stringContaining('减签 孙市执法'),
  ]);
});

test("the leader's 退回 form, and the applicant's 催办 once a working day", async () => {
  const id = await applyFor(t, o, 'permit.completion-acceptance', '码头防雷验收');
  const s1 = await activeRow(t, id);
  await (await api(t, o.wang))
    .post(`/api/m/approvals/${id}/decision`)
    .send({ stepId: s1.id, decision: 'APPROVE' })
    .expect(200);
  const s2 = await activeRow(t, id);
  const page = await open(o.qian, `/m/approvals/${id}?step=${s2.id}&action=return`);
  const form = page.locator('form#return');
  await form.waitFor();
  await form.getByRole('button', { name: '退回' }).click();
  expect(await form.locator('.field-error').allTextContents()).toEqual(expect.arrayContaining(['退回时必须填写意见']));
  await form.getByLabel('退回意见').fill('请补充竣工图纸');
  await form.getByRole('button', { name: '退回' }).click();
  await page.getByText('已退回', { exact: true }).first().waitFor();
  expect(await page.locator('.step').allTextContents()).toEqual([
    expect.stringContaining('受理审查　已同意'),
    expect.stringContaining('验收决定　已退回'),
    expect.stringContaining('受理审查　待处理'),
    expect.stringContaining('验收决定　未开始'),
  ]);

  const li = await open(o.li, `/m/approvals/${id}`);
  await li.getByRole('button', { name: '催办当前环节的审批人' }).click();
  await li.locator('#banner').waitFor();
  expect(await banner(li)).toBe('已催办，审批人会收到提醒');
  await li.getByText('今天已催办过，每个工作日只能催办一次').waitFor();
  expect(await li.getByText(/李经理 催办「受理审查」/).count()).toBe(1);
});

test('「我的审批」: three extension requests approved at once, each said', async () => {
  const { prisma } = t.db;
  const ctx = { publicBaseUrl: t.runtime.deps.publicBaseUrl, via: 'api' as const };
  for (const d of ['东侧罐接地电阻超标', '西侧罐 SPD 失效', '北侧罐引下线断开']) {
    const h = await fileHazard(
      prisma,
      o.wang.id,
      {
        unitId: o.world.unitId,
        type: 'OTHER',
        grade: 'GENERAL',
        source: 'ENFORCEMENT',
        description: d,
        deadlineWorkingDays: 10,
      },
      ctx,
    );
    const hz = await prisma.hazard.findUniqueOrThrow({ where: { id: h.hazardId } });
    await requestExtension(
      prisma,
      o.li.id,
      h.hazardId,
      { reason: '等待复测', newDeadline: new Date(hz.deadline.getTime() + 7 * 86_400_000).toISOString() },
      ctx,
    );
  }
  const page = await open(o.zhao, '/m/approvals');
  const group = page.locator('form', { hasText: '3 项待审批' });
  await group.waitFor();
  await group.getByRole('button', { name: '同意所选' }).click();
  expect(await group.locator('.field-error').first().textContent()).toBe('请至少选择一项审批');
  for (const box of await group.locator('input[type="checkbox"]').all()) await box.check();
  await group.getByRole('button', { name: '同意所选' }).click();
  await page.locator('#banner').waitFor();
  expect(await banner(page)).toBe('已同意 3 项');
  expect(await prisma.extensionRequest.count({ where: { status: 'APPROVED' } })).toBe(3);
  await page.getByText('待我审批（').waitFor();
  expect(await page.locator('form', { hasText: '3 项待审批' }).count()).toBe(0);
});

test('「委托审批」: a deputy named for days; a loop refused with its reason; cancelled', async () => {
  const page = await open(o.wang, '/m/delegations');
  await page.locator('select[name="toPersonId"] option', { hasText: '赵执法' }).waitFor({ state: 'attached' });
  await page.selectOption('select[name="toPersonId"]', { label: '赵执法' });
  const end = new Date(Date.now() + 8 * 3600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
  await page.fill('input[name="endsOn"]', end);
  await page.getByRole('button', { name: '委托', exact: true }).click();
  await page.locator('#banner').waitFor();
  expect(await banner(page)).toMatch(/^已委托 赵执法（\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}）$/);
  expect(await page.getByText('委托给 赵执法', { exact: true }).count()).toBe(1);

  const zhao = await open(o.zhao, '/m/delegations');
  await zhao.getByText('王执法 委托给我').waitFor();
  await zhao.locator('select[name="toPersonId"] option', { hasText: '王执法' }).waitFor({ state: 'attached' });
  await zhao.selectOption('select[name="toPersonId"]', { label: '王执法' });
  await zhao.fill('input[name="endsOn"]', end);
  await zhao.getByRole('button', { name: '委托', exact: true }).click();
  await zhao.locator('.form-error', { hasText: '委托会形成循环' }).waitFor();
  expect(await t.db.prisma.delegation.count()).toBe(1);

  await page.getByRole('button', { name: '取消委托给 赵执法 的审批' }).click();
  await page.getByText('已取消委托').waitFor();
  expect(await page.getByText('已取消', { exact: true }).count()).toBe(1);
});
