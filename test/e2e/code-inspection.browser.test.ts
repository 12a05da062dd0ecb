// Issue #7 "Done when", in headless Chromium against the demo data: the demo manager (陈晓峰) opens
// the mini-app from the simulator's chat UI (「打开微应用（免登）」 plays the JSAPI and hands the page
// a fresh authCode), opens the unit's printable sign and the code URL printed on it, fills the
// checklist with one failed item and a photo (compressed in the page, uploaded), submits, and the
// hazard card arrives in his chat in the simulator UI. The demo leader (林国华) opens the dashboard
// before and after: the new hazard is counted. Every page is saved as a screenshot (and the sign as
// a PDF) in test-output/code-inspection/.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { loadDataKey } from '../../core/crypto';
import { DEMO, listDirectoryForDingTalk, seedDemo } from '../../core/db/seed-demo';
import { deriveSupervisionCode } from '../../core/inspection/supervision-code';
import { assertChromium, launchChromium, scrollIntoViewWhenStill } from '../helpers/browser';
import { screenshotter, testOutputDir } from '../helpers/output';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../helpers/runtime';

const OUT = testOutputDir('code-inspection');
const screenshot = screenshotter('code-inspection');

let t: TestRuntime;
let browser: Browser;
let ctx: BrowserContext;
let chat: Page;

beforeAll(async () => {
  assertChromium();
  // The demo data set, with the key the runtime uses, and its people in the simulated directory.
  const dataKey = loadDataKey({ dataKey: Buffer.alloc(32, 7).toString('hex') }, '/nonexistent');
  t = await startTestRuntime({ httpPort: true, seed: async (db) => void (await seedDemo(db.prisma, dataKey)) });
  const people = await listDirectoryForDingTalk(t.db.prisma, dataKey);
  await addUsers(
    t,
    people.map((p) => ({ userId: p.dingUserId, name: p.name })),
  );
  browser = await launchChromium();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // The location is asked for only after the consent box is ticked; the browser then allows it.
  await ctx.grantPermissions(['geolocation']);
  await ctx.setGeolocation({ latitude: 30.4187, longitude: 120.2996, accuracy: 25 });
  chat = await ctx.newPage();
  await chat.goto(t.sim.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/**
 * As `userId`, `url` opened the way DingTalk opens a scanned code: in a page with a fresh 免登
 * authCode (the simulator's own buttons are tested in simulator-miniapp.browser.test.ts).
 */
async function openMiniapp(userId: string, url: string): Promise<Page> {
  await chat.locator('#viewer').selectOption(userId);
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  const page = await ctx.newPage();
  await page.goto(`${url}${url.includes('?') ? '&' : '?'}authCode=${encodeURIComponent(code)}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#who').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
  return page;
}

/** The dashboard's 隐患总数. */
async function hazardTotal(page: Page): Promise<number> {
  await page.locator('#stat-total').waitFor({ timeout: 15_000 });
  return Number(await page.locator('#stat-total').textContent());
}

test('code URL → 免登 → checklist with a failed item and a photo → hazard card in chat → counted on the dashboard', async () => {
  const base = t.runtime.deps.publicBaseUrl;
  const hazardsBefore = await t.db.prisma.hazard.count({ where: { unitId: DEMO.unitId } });

  // The leader's dashboard before.
  const dashboard = await openMiniapp(DEMO.leaderDingUserId, `${base}/m/dashboard`);
  expect(await dashboard.locator('#who').textContent()).toBe('林国华');
  const totalBefore = await hazardTotal(dashboard);
  await dashboard.locator('#chart-status canvas').waitFor({ timeout: 15_000 });
  await screenshot(dashboard, 'dashboard-before');

  // The manager opens his unit's printable sign; the QR on it encodes the signed code URL.
  const sign = await openMiniapp(DEMO.unitManagerDingUserId, `${base}/m/units/${DEMO.unitId}/sign`);
  expect(await sign.locator('#who').textContent()).toBe('陈晓峰');
  await sign.locator('.sign-unit', { hasText: DEMO.unitName }).waitFor();
  // The supervision code is derived from the unit's 统一社会信用代码.
  expect(await sign.locator('.sign-code').textContent()).toBe(deriveSupervisionCode(DEMO.unitUscc));
  await sign
    .locator('img.sign-qr')
    .evaluate((img: HTMLImageElement) => (img.complete ? undefined : new Promise((r) => (img.onload = r))));
  await screenshot(sign, 'sign');
  await sign.emulateMedia({ media: 'print' });
  await sign.pdf({ path: path.join(OUT, 'sign.pdf'), format: 'A4' });
  const code = await sign.evaluate(() =>
    fetch(`/api/m/units/${location.pathname.split('/')[3]}/code`, {
      headers: { Authorization: `Bearer ${sessionStorage.getItem('leiguard.m.token')}` },
    }).then((r) => r.json()),
  );
  expect(code.url).toMatch(new RegExp(`^${base}/m/code\\?c=`));
  await sign.close();

  // Scanning: the code URL opens the checklist of his unit's category.
  const form = await openMiniapp(DEMO.unitManagerDingUserId, code.url as string);
  await form.waitForURL(/\/m\/inspections\/[^/]+$/, { timeout: 15_000 });
  const items = form.locator('fieldset.item');
  await items.first().waitFor({ timeout: 15_000 });
  expect(await form.locator('.card .unit').first().textContent()).toBeTruthy();
  await screenshot(form, 'checklist');
  const count = await items.count();
  expect(count).toBeGreaterThan(3);

  // Item 2 fails (with a note and a photo), the rest pass; the location is shared with consent.
  const failed = items.nth(1);
  const failedText = (await failed.locator('legend').textContent())!.replace(/^\d+\.\s*/, '');
  for (let i = 0; i < count; i++)
    await items
      .nth(i)
      .locator(`input[value="${i === 1 ? 'FAIL' : 'PASS'}"]`)
      .check();
  await failed.locator('textarea.note').fill('3 号罐区跨接线锈断');
  const photo = await QRCode.toBuffer('现场照片 3 号罐跨接线', { width: 900 });
  await failed.locator('input.photo').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: photo });
  await failed.locator('.upload-status', { hasText: '已上传 1 张' }).waitFor({ timeout: 15_000 });
  await form.locator('#consent-location').check();
  await form.locator('text=已记录位置').waitFor({ timeout: 10_000 });
  await screenshot(form, 'checklist-filled');
  await form.locator('button[type=submit]').click();
  await form.locator('.notice.done h2', { hasText: '检查结果已提交' }).waitFor({ timeout: 15_000 });
  expect(await form.locator('.notice.done p').textContent()).toContain('1 项不符合已登记为隐患');
  await screenshot(form, 'submitted');

  // On the record: one self-check hazard with the item's legal basis and the compressed photo (JPEG).
  const hazards = await t.db.prisma.hazard.findMany({ where: { unitId: DEMO.unitId }, orderBy: { createdAt: 'desc' } });
  expect(hazards).toHaveLength(hazardsBefore + 1);
  const hazard = hazards[0]!;
  expect(hazard).toMatchObject({ source: 'SELF_CHECK', filedById: DEMO.unitManagerPersonId });
  expect(hazard.description).toContain(failedText);
  const photos = hazard.photos as Array<{ url: string }>;
  expect(photos).toHaveLength(1);
  expect(photos[0]!.url).toMatch(new RegExp(`^${base}/api/m/uploads/[0-9a-f]{64}\\.jpg$`));
  const inspection = await t.db.prisma.inspection.findFirstOrThrow({
    where: { unitId: DEMO.unitId, mode: 'CODE' },
    include: { items: true },
  });
  expect(inspection).toMatchObject({ status: 'SUBMITTED', result: 'FAIL' });
  expect(inspection.location).toMatchObject({ lat: 30.4187, lng: 120.2996 });

  // The hazard page the result links to.
  await form.locator('a.pill', { hasText: '查看隐患' }).click();
  await form.locator('.card .title').first().waitFor({ timeout: 15_000 });
  await screenshot(form, 'hazard');

  // The hazard card arrives in the manager's chat in the simulator UI.
  await chat.bringToFront();
  await chat.locator('#viewer').selectOption(DEMO.unitManagerDingUserId);
  const card = chat.locator('.icard', { hasText: failedText.slice(0, 8) });
  await card.first().waitFor({ timeout: 20_000 });
  await expect(card.first().locator('.icard-header').textContent()).resolves.toContain('隐患');
  await expect(card.first().locator('button', { hasText: '已知悉' }).count()).resolves.toBe(1);
  // 易燃易爆 40 + an open 重大隐患 20 + a failed inspection 10 = 70: red, and the card says so.
  expect((await t.db.prisma.unit.findUniqueOrThrow({ where: { id: DEMO.unitId } })).riskColor).toBe('RED');
  await expect(card.first().textContent()).resolves.toContain('单位风险码：红码');
  // The chat repaints a card as its updates arrive: scroll to it once it holds still.
  await scrollIntoViewWhenStill(card.first());
  await screenshot(chat, 'manager-chat');

  // The leader's dashboard counts it.
  await dashboard.bringToFront();
  await dashboard.reload();
  await waitFor(
    async () => (await hazardTotal(dashboard)) === totalBefore + 1,
    15_000,
    'the dashboard counts the new hazard',
  );
  await expect(dashboard.locator('main p', { hasText: '码上检查' }).textContent()).resolves.toMatch(/已提交 [1-9]/);
  await dashboard.locator('#chart-status canvas').waitFor({ timeout: 15_000 });
  await screenshot(dashboard, 'dashboard-after');
}, 180_000);
