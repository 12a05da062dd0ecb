// The mini-app as its people use it (issue #23), in headless Chromium: urgent things first, form
// errors in Chinese next to their fields with the focus on the first, the leader's dashboard
// number opening its list, the test-report review with a finding ticked, and a rejected
// application edited and submitted again.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { assertChromium, launchChromium } from '../helpers/browser';
import { testOutputDir } from '../helpers/output';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { createUxWorld, type UxWorld } from '../helpers/ux-world';

let t: TestRuntime;
let w: UxWorld;
let browser: Browser;
const out = testOutputDir('ux-flows');

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime({ httpPort: true });
  w = await createUxWorld(t, `fl${Date.now().toString(36)}`);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A signed-in tab for a person of the world at `url` (免登 with a fresh authCode). */
async function open(who: keyof UxWorld['people'], url: string): Promise<Page> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.people[who].userId });
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await ctx.newPage();
  await page.goto(`${t.runtime.httpUrl}${url}${url.includes('?') ? '&' : '?'}authCode=${encodeURIComponent(code)}`);
  await page.locator('#who').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
  return page;
}

const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);

test('urgent first: the escalated hazard 20 days late leads, in red and in words; closed ones are out of the open list', async () => {
  const page = await open('manager', '/m/tasks');
  const cards = page.locator('.card.task');
  await cards.first().waitFor({ timeout: 10_000 });
  const first = (await cards.nth(0).textContent()) ?? '';
  expect(first).toContain('杭州示例石化仓储有限公司');
  expect(first).toContain('已升级');
  expect(first).toContain('已逾期 20 天');
  expect(await cards.nth(1).textContent()).toContain('已逾期 3 天');
  expect(
    await cards
      .nth(0)
      .locator('.deadline')
      .evaluate((n) => getComputedStyle(n).color),
  ).toBe('rgb(179, 38, 30)');
  // A task that is not late comes after the late ones.
  expect(await cards.nth(2).locator('.deadline.late').count()).toBe(0);

  await page.goto(`${t.runtime.httpUrl}/m/`);
  const list = page.locator('a.card');
  await list.first().waitFor();
  expect(await list.first().getAttribute('href')).toBe(`/m/hazards/${w.hazards.escalated}`);
  expect(await list.nth(1).getAttribute('href')).toBe(`/m/hazards/${w.hazards.late3}`);
  const hrefs = await list.evaluateAll((ns) => ns.map((n) => n.getAttribute('href')));
  expect(hrefs).not.toContain(`/m/hazards/${w.hazards.closed}`);
  await page.getByRole('link', { name: '已销号' }).click();
  await page.locator(`a.card[href="/m/hazards/${w.hazards.closed}"]`).waitFor();
  expect(await page.locator('a.card').count()).toBe(1);

  await page.goto(`${t.runtime.httpUrl}/m/hazards/${w.hazards.escalated}`);
  const head = page.locator('main .card').first();
  await head.locator('.deadline.late', { hasText: '已逾期 20 天' }).waitFor();
  expect(await head.locator('h2').textContent()).toBe('杭州示例石化仓储有限公司');
  await page.screenshot({ path: path.join(out, 'hazard-escalated.png'), fullPage: true });
});

test('form errors: in Chinese next to each field, focus on the first, nothing typed is lost; server errors land by field', async () => {
  const page = await open('manager', `/m/hazards/${w.hazards.pending}/rectify`);
  const form = page.locator('form.rectify');
  await form.waitFor({ timeout: 10_000 });
  await form.getByRole('button', { name: '提交整改材料' }).click();
  await form.locator('[data-field=description] .field-error', { hasText: '请描述整改措施（至少 4 个字）' }).waitFor();
  await form.locator('[data-field=photos] .field-error', { hasText: '请上传至少 1 张整改后照片' }).waitFor();
  expect(await focusedName(page)).toBe('description');
  expect(await form.getByLabel('整改措施和完成情况').getAttribute('aria-invalid')).toBe('true');
  // No code name of a field anywhere a person reads.
  expect(await page.locator('main').innerText()).not.toMatch(/description|photos|newDeadline/);

  await form.getByLabel('整改措施和完成情况').fill('更换锈蚀接地极');
  await form.getByRole('button', { name: '提交整改材料' }).click();
  await form.locator('[data-field=photos] .field-error', { hasText: '请上传至少 1 张整改后照片' }).waitFor();
  expect(await form.locator('[data-field=description] .field-error').textContent()).toBe('');
  // The first error is now the photos: the focus is on the picker (its input, behind its label button).
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('file');
  expect(await form.getByLabel('整改措施和完成情况').inputValue()).toBe('更换锈蚀接地极');

  // The extension: a date beyond what the rules allow is refused by the server, next to the date.
  const ext = page.locator('form.extension');
  await ext.getByLabel('延期理由').fill('等待检测机构复测排期');
  const far = new Date(Date.now() + 200 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  await ext.getByLabel('申请延至').fill(far);
  await ext.getByRole('button', { name: '提交延期申请' }).click();
  await ext.locator('[data-field=newDeadline] .field-error', { hasText: '一次最多延期' }).waitFor({ timeout: 10_000 });
  expect(await focusedName(page)).toBe('newDeadline');
  expect(await ext.getByLabel('延期理由').inputValue()).toBe('等待检测机构复测排期');
  await page.screenshot({ path: path.join(out, 'form-errors.png'), fullPage: true });

  // Then a rectification with a photo goes through and says so at the top.
  await form.locator('input.photo').setInputFiles({
    name: 'fix.png',
    mimeType: 'image/png',
    buffer: await QRCode.toBuffer('整改后照片', { width: 300 }),
  });
  await form.locator('.upload-status', { hasText: '已上传 1 张' }).waitFor({ timeout: 10_000 });
  await form.getByRole('button', { name: '提交整改材料' }).click();
  await page.locator('#banner', { hasText: '整改材料已提交' }).waitFor({ timeout: 10_000 });
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('banner');
  expect((await t.db.prisma.hazard.findUniqueOrThrow({ where: { id: w.hazards.pending } })).status).toBe('SUBMITTED');
  // Photos open full size.
  await page.locator('.thumbs a').first().click();
  await page.locator('.photo-view img').waitFor();
  await page.getByRole('button', { name: '关闭' }).click();
});

test("the leader's dashboard: the overdue number opens the list of exactly those hazards", async () => {
  const page = await open('leader', '/m/dashboard');
  const stat = page.locator('a.stat', { hasText: '已逾期' });
  await stat.waitFor({ timeout: 10_000 });
  const n = Number(await stat.locator('.value').textContent());
  const overdue = await t.db.prisma.hazard.count({
    where: { status: { in: ['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED'] }, deadline: { lt: new Date() } },
  });
  expect(n).toBe(overdue);
  expect(n).toBeGreaterThanOrEqual(3);
  // Every chart has its numbers in a table form.
  expect(await page.locator('details.table-form table').count()).toBeGreaterThanOrEqual(4);
  await stat.click();
  await page.waitForURL(/\/m\/\?state=open&overdue=1&name=/);
  await page.locator('a.card').first().waitFor({ timeout: 10_000 });
  expect(await page.locator('a.card').count()).toBe(n);
  expect(await page.locator('a.card.urgent').count()).toBe(n);
  await page.locator('p.subject', { hasText: `筛选：已逾期，共 ${n} 项` }).waitFor();
});

test('the test-report review: file link, measurements with limits, a finding ticked, no preset quality', async () => {
  const page = await open('regulator', `/m/reports/${w.reportId}`);
  const form = page.locator('form.review');
  await form.waitFor({ timeout: 10_000 });
  expect(await page.getByRole('link', { name: /查看报告文件/ }).getAttribute('href')).toBe(
    `/api/m/test-reports/${w.reportId}/file`,
  );
  const failed = page.locator('tr.measure.bad');
  expect(await failed.count()).toBe(1);
  expect(await failed.innerText()).toMatch(/3 号储罐[\s\S]*18\.6 Ω[\s\S]*≤ 10 Ω[\s\S]*不合格/);
  expect(await form.locator('input[type=radio]:checked').count()).toBe(0);
  await form.getByRole('button', { name: '提交核查结论' }).click();
  await form.locator('.field-error', { hasText: '请选择质量考核结果' }).waitFor();

  const finding = form.locator('.finding', { hasText: '结论与分项结果矛盾' });
  expect(await finding.innerText()).toContain('3 号储罐接地电阻 18.6 Ω 超过 10 Ω 限值');
  await finding.getByRole('checkbox').check();
  await form.getByLabel('一般不合格').check();
  await form.getByRole('button', { name: '提交核查结论' }).click();
  await page.locator('#banner', { hasText: '核查结论已记录' }).waitFor({ timeout: 10_000 });
  const r = await t.db.prisma.testReport.findUniqueOrThrow({ where: { id: w.reportId } });
  expect(r.qualityResult).toBe('MINOR');
  expect(r.anomalies).toEqual([
    expect.objectContaining({ code: 'R09', confirmed: true }),
    expect.objectContaining({ code: 'R03', confirmed: false }),
  ]);
  await page.screenshot({ path: path.join(out, 'report-reviewed.png'), fullPage: true });
});

test('a rejected application is edited (a field and a new attachment) and submitted again', async () => {
  const page = await open('manager', `/m/approvals/${w.approvals.rejected}`);
  await page
    .locator('.reason', { hasText: '驳回理由：缺少接地装置平面图，请补充后重新提交' })
    .waitFor({ timeout: 10_000 });
  // The reason is the first thing on the page.
  expect(await page.locator('main > *').first().getAttribute('class')).toBe('reason');
  const form = page.locator('form.resubmit');
  await form.getByLabel('建设地点').fill('余杭区仓前街道良睦路 1 号');
  await form.locator('input.photo').setInputFiles({
    name: 'plan.png',
    mimeType: 'image/png',
    buffer: await QRCode.toBuffer('接地装置平面图', { width: 300 }),
  });
  await form.locator('.upload-status', { hasText: '已上传 1 张' }).waitFor({ timeout: 10_000 });
  await form.getByRole('button', { name: '重新提交' }).click();
  await form.locator('.field-error', { hasText: '请填写新附件的名称' }).waitFor();
  expect(await focusedName(page)).toBe('attachmentName');
  await form.getByLabel('新附件名称').fill('接地装置平面图');
  await form.getByRole('button', { name: '重新提交' }).click();
  await page.locator('#banner', { hasText: '已重新提交' }).waitFor({ timeout: 10_000 });
  const a = await t.db.prisma.approvalInstance.findUniqueOrThrow({ where: { id: w.approvals.rejected } });
  expect(a.status).toBe('IN_PROGRESS');
  expect(a.round).toBe(2);
  const data = a.data as { fields: Array<{ label: string; value: string }>; attachments: Array<{ name: string }> };
  expect(data.fields).toContainEqual({ label: '建设地点', value: '余杭区仓前街道良睦路 1 号' });
  expect(data.attachments.map((x) => x.name)).toEqual(['防雷装置设计图.pdf', '接地装置平面图']);
  await page.screenshot({ path: path.join(out, 'approval-resubmitted.png'), fullPage: true });
});
