// The mini-app H5 pages in headless Chromium: opened with a simulator authCode (as the simulator's
// "打开微应用（免登）" button does), the page signs in and lists the person's hazards; the detail
// page shows who acknowledged; without a code it says to open it from DingTalk.
import type { Browser } from 'playwright-core';
import { assertChromium, launchChromium } from '../helpers/browser';
import { createWorld, type World } from '../helpers/fixtures';
import { addUsers, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let w: World;
let browser: Browser;
let hazardId: string;

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime();
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  const h = await t.db.prisma.hazard.create({
    data: {
      unitId: w.unitId, source: 'TEST', type: 'EARTH_R', grade: 'MAJOR', description: '储罐区接地电阻 12Ω',
      foundAt: new Date(), deadline: new Date(Date.now() + 5 * 86_400_000),
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
  expect(await page.title()).toBe('雷卫 · 隐患详情');
  await ctx.close();
});

test('without an authCode the page explains to open it from DingTalk', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${t.runtime.httpUrl}/m/`);
  await page.locator('.notice h2', { hasText: '请在钉钉中打开雷卫小程序' }).waitFor({ timeout: 10_000 });
  await ctx.close();
});
