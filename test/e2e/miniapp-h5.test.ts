// The mini-app H5 pages in headless Chromium: opened with a simulator authCode (as the simulator's
// "打开微应用（免登）" button does), the page signs in and lists the person's hazards; the detail
// page shows who acknowledged; without a code it says to open it from DingTalk. The alert card's
// 「申请延期」 and 「提交整改」 links open the hazard page at its forms; a regulator rejects there with
// a reason (required). Screenshots go to test-output/miniapp-h5/.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hazardLinks } from '../../core/hazard/notice-data';
import { assertChromium, attachPhoto, launchChromium } from '../helpers/browser';
import { testOutputDir } from '../helpers/output';
import { createWorld, type World } from '../helpers/fixtures';
import { addUsers, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let w: World;
let browser: Browser;
let hazardId: string;

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime({ httpPort: true });
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  const h = await t.db.prisma.hazard.create({
    data: {
      unitId: w.unitId,
      source: 'TEST',
      type: 'EARTH_R',
      grade: 'MAJOR',
      description: '储罐区接地电阻 12Ω',
      foundAt: new Date(),
      deadline: new Date(Date.now() + 5 * 86_400_000),
    },
  });
  hazardId = h.id;
  await t.db.prisma.hazardAck.create({ data: { hazardId, personId: w.legalRepId } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

test('/m/?authCode= signs in, lists the hazard, and the detail shows acknowledgements', async () => {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.users[1]!.userId });
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(`${t.runtime.httpUrl}/m/?authCode=${encodeURIComponent(code)}&corpId=${t.sim.app.corpId}`);
  await page.locator('a.card', { hasText: '接地电阻超标' }).waitFor({ timeout: 10_000 });
  expect(await page.locator('#who').textContent()).toBe('李经理');
  // The single-use code is gone from the address bar.
  expect(page.url()).not.toContain('authCode');
  expect(await page.locator('a.card .deadline').first().textContent()).toMatch(/前整改（剩余 [45] 天）/);

  await page.locator('a.card', { hasText: '接地电阻超标' }).click();
  await page.waitForURL(`**/m/hazards/${hazardId}`);
  await page.locator('ul.acks li', { hasText: '张法人' }).waitFor({ timeout: 10_000 });
  // The page names its subject: the unit and the hazard (issue #23).
  expect(await page.title()).toMatch(/^雷卫 · 杭州测试石化仓储有限公司\d+ · 接地电阻超标$/);
  await ctx.close();
});

test('without an authCode the page explains to open it from DingTalk', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${t.runtime.httpUrl}/m/`);
  await page.locator('.notice h2', { hasText: '请在钉钉中打开雷卫小程序' }).waitFor({ timeout: 10_000 });
  await ctx.close();
});

/** Opens `url` signed in as user `i` of the world (a fresh authCode, as the simulator UI passes it). */
async function openAs(i: number, url: string): Promise<Page> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.users[i]!.userId });
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(`${url}${url.includes('?') ? '&' : '?'}authCode=${encodeURIComponent(code)}`);
  await page.locator('#who').filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
  return page;
}

test('the card links open the forms: extension request, rectification with a photo, rejection with a reason', async () => {
  const out = testOutputDir('miniapp-h5');
  const { prisma } = t.db;
  const links = hazardLinks(t.runtime.deps.publicBaseUrl, hazardId);
  const status = async () => (await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } })).status;

  // 「申请延期」: a date and a reason; the request waits for the regulator.
  const ext = await openAs(1, links.extension);
  const extForm = ext.locator('form.extension');
  await extForm.waitFor({ timeout: 10_000 });
  await extForm.locator('button[type=submit]').click();
  // Errors in Chinese next to their fields, the focus on the first (issue #23).
  await extForm.locator('.field-error', { hasText: '请说明延期理由（至少 4 个字）' }).waitFor();
  await extForm.locator('.field-error', { hasText: '请选择新的整改期限' }).waitFor();
  expect(await ext.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('name'))).toBe('reason');
  const later = new Date(Date.now() + 20 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  await extForm.locator('textarea').fill('需等待检测机构复测');
  await extForm.locator('input[type=date]').fill(later);
  await extForm.locator('button[type=submit]').click();
  await ext.locator('form.extension p', { hasText: `申请延期至 ${later}` }).waitFor({ timeout: 10_000 });
  expect(await prisma.extensionRequest.count({ where: { hazardId, status: 'PENDING' } })).toBe(1);
  await ext.screenshot({ path: path.join(out, 'hazard-extension.png'), fullPage: true });

  // 「提交整改」: the description is checked, then a photo is compressed, uploaded and submitted.
  const rect = await openAs(1, links.submit);
  const form = rect.locator('form.rectify');
  await form.waitFor({ timeout: 10_000 });
  await form.locator('textarea').fill('已更换');
  await attachPhoto(form, '整改后照片');
  await form.locator('button[type=submit]').click();
  await form.locator('.field-error', { hasText: '请描述整改措施（至少 4 个字）' }).waitFor({ timeout: 10_000 });
  await form.locator('textarea').fill('更换锈蚀接地极 4 根，补焊连接线');
  await form.locator('button[type=submit]').click();
  await rect.locator('.tag.SUBMITTED').waitFor({ timeout: 10_000 });
  await rect.locator('.banner', { hasText: '整改材料已提交' }).waitFor();
  expect(await status()).toBe('SUBMITTED');
  await rect.locator('ol.timeline li', { hasText: '提交整改（李经理）' }).waitFor();
  await rect.screenshot({ path: path.join(out, 'hazard-submitted.png'), fullPage: true });

  // The regulator: 驳回 without a reason is refused on the page; with one the hazard goes back to 整改中.
  const reg = await openAs(0, links.detail);
  const verify = reg.locator('form.verify');
  await verify.waitFor({ timeout: 10_000 });
  await reg.locator('.card img.thumb').first().waitFor();
  await verify.locator('button.danger').click();
  await verify.locator('.field-error', { hasText: '驳回时必须填写理由' }).waitFor();
  expect(await status()).toBe('SUBMITTED');
  await verify.locator('textarea').fill('照片看不清接地极焊点');
  await verify.locator('button.danger').click();
  await reg.locator('.form-error', { hasText: '驳回理由：照片看不清接地极焊点' }).waitFor({ timeout: 10_000 });
  expect(await status()).toBe('FIXING');
  await reg.screenshot({ path: path.join(out, 'hazard-rejected.png'), fullPage: true });
});
