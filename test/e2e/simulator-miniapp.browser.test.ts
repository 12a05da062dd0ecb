// The simulator's chat UI opens the mini-app as DingTalk does (issue #23): with the app's home page
// configured, a card's link button and 「打开微应用（免登）」 open the mini-app signed in by 免登 (a
// fresh authCode for the person viewing, no address to type) at the right page; the picker shows
// the pinned people first, grouped. A hazard card says its state and unit in its header and shows
// each reader only the buttons they may still use.
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { assertChromium, launchChromium } from '../helpers/browser';
import { elementScreenshot, testOutputDir } from '../helpers/output';
import { startTestRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { signIn } from '../helpers/session';
import { createUxWorld, type UxWorld } from '../helpers/ux-world';

let t: TestRuntime;
let w: UxWorld;
let browser: Browser;
let chat: Page;

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime({ httpPort: true });
  w = await createUxWorld(t, `sm${Date.now().toString(36)}`);
  await t.sim.call('PUT', `/__sim/apps/${t.sim.app.appKey}`, {
    homepageUrl: `${t.runtime.deps.publicBaseUrl}/m/tasks`,
    pinnedUsers: [
      { label: '执法人员', userIds: [w.people.regulator.userId] },
      { label: '单位负责人', userIds: [w.people.manager.userId] },
    ],
  });
  browser = await launchChromium();
  chat = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await chat.goto(t.sim.url);
  await chat.locator('#viewer option').first().waitFor({ state: 'attached', timeout: 10_000 });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

test('the picker shows the pinned people first, by group', async () => {
  const groups = await chat.locator('#viewer optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')));
  expect(groups.slice(0, 2)).toEqual(['演示 · 执法人员', '演示 · 单位负责人']);
  expect(await chat.locator('#viewer optgroup').first().locator('option').textContent()).toContain('周志远');
  // The viewer's 钉钉待办 comes first, as in DingTalk; then the first pinned person's chat.
  const titles = await chat.locator('.conv .conv-title').allTextContents();
  expect(titles.slice(0, 2)).toEqual(['钉钉待办', '周志远']);
});

test("a hazard card's 「提交整改」 opens the mini-app signed in at the hazard's form", async () => {
  const bearer = await signIn(t, w.people.regulator.userId);
  const filed = await request(t.runtime.httpUrl!)
    .post('/api/m/hazards')
    .set('Authorization', bearer)
    .send({
      unitId: w.unitId,
      type: 'AIR_TERM',
      grade: 'GENERAL',
      description: '屋面接闪带 2 处断开',
      deadlineWorkingDays: 10,
    })
    .expect(201);
  const hazardId = filed.body.hazardId as string;
  await chat.locator('#viewer').selectOption(w.people.manager.userId);
  const card = chat.locator('.icard', { hasText: '屋面接闪带 2 处断开' });
  await card.first().waitFor({ timeout: 20_000 });
  const [popup] = await Promise.all([
    chat.waitForEvent('popup'),
    card.first().locator('button', { hasText: '提交整改' }).click(),
  ]);
  await popup.locator('#who', { hasText: '陈晓峰' }).waitFor({ timeout: 15_000 });
  await popup.locator('form.rectify').waitFor();
  const url = new URL(popup.url());
  expect(url.origin).toBe(t.runtime.deps.publicBaseUrl);
  expect(url.pathname).toBe(`/m/hazards/${hazardId}/rectify`);
  expect(url.search).not.toContain('authCode');
  await popup.close();
});

test('「打开微应用（免登）」 opens the home page signed in as the person viewing, without asking for an address', async () => {
  await chat.locator('#viewer').selectOption(w.people.regulator.userId);
  let asked = false;
  chat.on('dialog', (d) => {
    asked = true;
    void d.dismiss();
  });
  const [popup] = await Promise.all([chat.waitForEvent('popup'), chat.locator('#miniapp').click()]);
  await popup.locator('#who', { hasText: '周志远' }).waitFor({ timeout: 15_000 });
  expect(new URL(popup.url()).pathname).toBe('/m/tasks');
  await waitFor(async () => (await popup.locator('.card.task').count()) > 0 || undefined, 10_000, 'tasks shown');
  expect(asked).toBe(false);
  await popup.close();
});

test('a hazard card says its state and unit in the header, and shows each reader only the buttons they may use', async () => {
  const bearer = await signIn(t, w.people.regulator.userId);
  await request(t.runtime.httpUrl!)
    .post('/api/m/hazards')
    .set('Authorization', bearer)
    .send({
      unitId: w.unitId,
      type: 'BONDING',
      grade: 'MAJOR',
      description: '储罐区等电位连接线锈断',
      deadlineWorkingDays: 5,
    })
    .expect(201);
  // The legal representative reads it: no 「提交整改」 or 「申请延期」, which only the manager may use.
  await chat.locator('#viewer').selectOption(w.people.legalRep.userId);
  const card = chat.locator('.icard', { hasText: '储罐区等电位连接线锈断' }).first();
  await card.waitFor({ timeout: 20_000 });
  const header = (await card.locator('.icard-header').textContent()) ?? '';
  expect(header).toBe('【待整改】杭州示例石化仓储有限公司：重大隐患整改通知');
  expect(await card.locator('button', { hasText: '提交整改' }).count()).toBe(0);
  expect(await card.locator('button', { hasText: '申请延期' }).count()).toBe(0);
  expect(await card.locator('button', { hasText: '已知悉' }).count()).toBe(1);
  // The manager acknowledges: 「已知悉」 goes away for them, the rest stays.
  await chat.locator('#viewer').selectOption(w.people.manager.userId);
  const mine = chat.locator('.icard', { hasText: '储罐区等电位连接线锈断' }).first();
  await mine.waitFor({ timeout: 20_000 });
  await mine.locator('button', { hasText: '已知悉' }).click();
  await chat
    .locator('.icard', { hasText: '储罐区等电位连接线锈断' })
    .first()
    .locator('.icard-note', { hasText: '陈晓峰 已知悉' })
    .waitFor({ timeout: 15_000 });
  const after = chat.locator('.icard', { hasText: '储罐区等电位连接线锈断' }).first();
  expect(await after.locator('button', { hasText: '已知悉' }).count()).toBe(0);
  expect(await after.locator('button', { hasText: '提交整改' }).count()).toBe(1);
  await elementScreenshot(after, `${testOutputDir('simulator-miniapp')}/hazard-card-manager.png`);
});
