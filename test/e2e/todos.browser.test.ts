// Issue #21 item 1 in headless Chromium, with the simulator as DingTalk: a hazard filed appears in
// the manager's 钉钉待办 in the simulator's chat UI (紧急 for a 重大隐患, due at the deadline);
// ticking it off there does not rectify anything (the hazard stays open); 「打开」 opens the
// rectification page signed in by 免登, and submitting it there completes the to-do, live.
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { assertChromium, attachPhoto, launchChromium } from '../helpers/browser';
import { createWorld, type World } from '../helpers/fixtures';
import { screenshotter } from '../helpers/output';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { signIn } from '../helpers/session';
import { withUnionIds } from '../helpers/todos';

const screenshot = screenshotter('todos');
let t: TestRuntime;
let w: World;
let browser: Browser;
let chat: Page;

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime({ httpPort: true, env: { TODO_FOLLOW_MS: '200' } });
  w = await createWorld(t.db.prisma);
  await withUnionIds(t, [
    { personId: w.regulatorId, ...w.users[0]! },
    { personId: w.managerId, ...w.users[1]! },
  ]);
  await t.sim.call('PUT', `/__sim/apps/${t.sim.app.appKey}`, {
    homepageUrl: `${t.runtime.deps.publicBaseUrl}/m/tasks`,
  });
  browser = await launchChromium();
  chat = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  await chat.goto(t.sim.url);
  await chat.locator('#viewer option').first().waitFor({ state: 'attached', timeout: 10_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

test("the manager's to-do in the simulator: ticked off it rectifies nothing; its page does", async () => {
  const { prisma } = t.db;
  await chat.locator('#viewer').selectOption(w.users[1]!.userId);
  await chat.locator('.conv', { hasText: '钉钉待办' }).click();
  await chat.locator('.messages .empty', { hasText: '暂无待办' }).waitFor({ timeout: 10_000 });

  const filed = await request(t.runtime.httpUrl!)
    .post('/api/m/hazards')
    .set('authorization', await signIn(t, w.users[0]!.userId))
    .send({
      unitId: w.unitId,
      type: 'EARTH_R',
      grade: 'MAJOR',
      source: 'TEST',
      description: '2 号罐接地电阻 15.2 Ω，超过 10 Ω 限值',
      deadline: '2099-05-31',
    })
    .expect(201);
  const hazardId = filed.body.hazardId as string;
  const todo = chat.locator('.todo', { hasText: '接地电阻超标（重大隐患）待整改' });
  await todo.waitFor({ timeout: 20_000 });
  expect(await todo.locator('.todo-prio').textContent()).toBe('紧急');
  expect(await todo.locator('.todo-desc').textContent()).toContain('整改期限：2099-05-31');
  expect(await todo.locator('.todo-due').textContent()).toBe('截止 2099/5/31 23:59');
  await screenshot(chat, 'manager-todo');

  // Ticked off in DingTalk: the hazard is not rectified; ticked back on.
  await todo.locator('button', { hasText: '完成' }).click();
  await chat.locator('.todo.todo-done', { hasText: '待整改' }).waitFor({ timeout: 10_000 });
  expect((await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } })).status).toBe('PENDING');
  await todo.locator('button', { hasText: '标为未完成' }).click();
  await chat.locator('.todo:not(.todo-done)', { hasText: '待整改' }).waitFor({ timeout: 10_000 });

  // 「打开」: the rectification form, signed in by 免登; submitted there, the to-do is done.
  const [page] = await Promise.all([chat.waitForEvent('popup'), todo.locator('button', { hasText: '打开' }).click()]);
  await page.locator('#who', { hasText: '李经理' }).waitFor({ timeout: 15_000 });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(new URL(page.url()).pathname).toBe(`/m/hazards/${hazardId}/rectify`);
  const form = page.locator('form.rectify');
  await form.locator('textarea').fill('更换锈蚀接地极 3 根，降阻后复测 4.1 Ω');
  await attachPhoto(form, '整改后照片');
  await form.locator('button[type=submit]').click();
  await page.locator('.banner', { hasText: '整改材料已提交' }).waitFor({ timeout: 10_000 });
  await chat.bringToFront();
  await chat.locator('.todo.todo-done', { hasText: '待整改' }).waitFor({ timeout: 20_000 });
  expect(await chat.locator('.conv', { hasText: '钉钉待办' }).locator('.conv-sub').textContent()).toBe(
    '没有未完成的待办',
  );
  await screenshot(chat, 'manager-todo-done');
  const row = await prisma.todoItem.findFirstOrThrow({ where: { personId: w.managerId, subjectId: hazardId } });
  expect([row.state, row.pending]).toEqual(['DONE', false]);
});
