// The simulator's chat UI in headless Chromium: an interactive card delivered through the
// official SDK is clicked in the page, the stream client's reply updates it in place; a message
// typed in the page reaches the stream client, whose sessionWebhook reply shows up live; the
// viewer's DingTalk to-do list shows a to-do created through the official SDK, opens its page with
// a 免登 authCode and ticks it off in DingTalk; a to-do change and a message in the same instant
// both show, and a message the page failed to load (offline for a moment) shows once it is back.
import Todo, { CreateTodoTaskHeaders, CreateTodoTaskRequest } from '@alicloud/dingtalk/dist/todo_1_0/client';
import * as $OpenApi from '@alicloud/openapi-client';
import { BatchSendOTOHeaders, BatchSendOTORequest } from '@alicloud/dingtalk/dist/robot_1_0/client';
import {
  CreateAndDeliverHeaders,
  CreateAndDeliverRequest,
  CreateAndDeliverRequestCardData,
  CreateAndDeliverRequestImRobotOpenDeliverModel,
} from '@alicloud/dingtalk/dist/card_1_0/client';
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { assertChromium, launchChromium } from '../helpers/browser';
import { testOutputDir } from '../helpers/output';
import type { Simulator } from '../../simulator';
import {
  APP,
  LAYOUT,
  SimDWClient,
  apiToken,
  http,
  rt,
  sdk,
  startTestSim,
  waitFor,
} from '../integration/simulator/sim-helpers';

let sim: Simulator;
let client: SimDWClient;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  assertChromium();
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  sim = await startTestSim();
  client = new SimDWClient(sim.url, { clientId: APP.appKey, clientSecret: APP.appSecret });
  client.registerCallbackListener(TOPIC_CARD, (msg) => {
    const { cardPrivateData } = JSON.parse(JSON.parse(msg.data).content) as {
      cardPrivateData: { params: { hazardId: string } };
    };
    client.socketCallBackResponse(msg.headers.messageId, {
      cardData: {
        cardParamMap: {
          statusText: `隐患 ${cardPrivateData.params.hazardId} 已确认`,
          statusVisible: 'true',
          actionsVisible: 'false',
        },
      },
      cardUpdateOptions: { updateCardDataByKey: true },
    });
  });
  client.registerCallbackListener(TOPIC_ROBOT, (msg) => {
    client.socketCallBackResponse(msg.headers.messageId, null);
    const data = JSON.parse(msg.data) as { sessionWebhook: string; text: { content: string } };
    void fetch(data.sessionWebhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        msgtype: 'markdown',
        markdown: { title: '回复', text: `**收到**：${data.text.content.trim()}` },
      }),
    });
  });
  await client.connect();
  await waitFor(() => client.connected, 5000, 'stream connection');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  client?.disconnect();
  await sim?.close();
});

test('a card is clicked in the page and updates in place', async () => {
  const token = await apiToken(sim);
  await sdk(sim).card.createAndDeliverWithOptions(
    new CreateAndDeliverRequest({
      outTrackId: 'e2e-card-1',
      cardTemplateId: LAYOUT.templateId,
      openSpaceId: 'dtv1.card//IM_ROBOT.u-zhang',
      callbackType: 'STREAM',
      cardData: new CreateAndDeliverRequestCardData({
        cardParamMap: {
          title: '重大隐患告警',
          unitName: '甲化工有限公司',
          detail: '接地电阻超标',
          actionsVisible: 'true',
          hazardId: 'H-7',
        },
      }),
      imRobotOpenDeliverModel: new CreateAndDeliverRequestImRobotOpenDeliverModel({ spaceType: 'IM_ROBOT' }),
    }),
    new CreateAndDeliverHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
  await page.goto(sim.url);
  const card = page.locator('.icard[data-out-track-id="e2e-card-1"]');
  await card.waitFor({ timeout: 10_000 });
  await expect(card.locator('.icard-header').textContent()).resolves.toBe('重大隐患告警');
  await card.locator('button', { hasText: '已知悉' }).click();
  await page
    .locator('.icard[data-out-track-id="e2e-card-1"] .icard-note', { hasText: '隐患 H-7 已确认' })
    .waitFor({ timeout: 10_000 });
  await expect(
    page.locator('.icard[data-out-track-id="e2e-card-1"] button', { hasText: '已知悉' }).count(),
  ).resolves.toBe(0);
  const stored = await http<{ cardData: Record<string, string> }>(sim, 'GET', '/__sim/cards/e2e-card-1');
  expect(stored.body.cardData).toMatchObject({ actionsVisible: 'false', statusText: '隐患 H-7 已确认' });
});

test('a message typed in the page reaches the robot; its reply appears live', async () => {
  await page.locator('#input').fill('查询我的隐患');
  await page.locator('#send').click();
  await page.locator('.msg.mine .text', { hasText: '查询我的隐患' }).waitFor({ timeout: 10_000 });
  await page.locator('.msg .md', { hasText: '收到：查询我的隐患' }).waitFor({ timeout: 10_000 });
});

test("the viewer's DingTalk to-do list: a new to-do appears live, opens with 免登, is ticked off", async () => {
  const users = await http<{ users: Array<{ userId: string; unionId: string }> }>(sim, 'GET', '/__sim/users');
  const unionId = users.body.users.find((u) => u.userId === 'u-zhang')!.unionId;
  // The to-do's link is a page of the micro-app (its home page's origin): opened signed in by 免登.
  await http(sim, 'PUT', `/__sim/apps/${APP.appKey}`, { homepageUrl: `${sim.url}/m/` });
  await page.reload();
  await page.locator('.conv', { hasText: '钉钉待办' }).click();
  await page.locator('.messages .empty', { hasText: '暂无待办' }).waitFor({ timeout: 10_000 });
  const todo = new Todo(new $OpenApi.Config({ protocol: 'http', endpoint: `127.0.0.1:${sim.port}` }));
  await todo.createTodoTaskWithOptions(
    unionId,
    new CreateTodoTaskRequest({
      sourceId: 'e2e-todo-1',
      subject: '甲化工有限公司：防雷隐患待整改',
      description: '接地电阻超标',
      dueTime: Date.now() + 3 * 86_400_000,
      priority: 40,
      executorIds: [unionId],
      detailUrl: { appUrl: `${sim.url}/__sim/apps`, pcUrl: `${sim.url}/__sim/apps` },
    }),
    new CreateTodoTaskHeaders({ xAcsDingtalkAccessToken: await apiToken(sim) }),
    rt(),
  );
  const item = page.locator('.todo', { hasText: '甲化工有限公司：防雷隐患待整改' });
  await item.waitFor({ timeout: 10_000 });
  await expect(item.locator('.todo-prio').textContent()).resolves.toBe('非常紧急');
  await page.screenshot({ path: path.join(testOutputDir('simulator-ui'), 'todos.png') });
  await expect(page.locator('.conv', { hasText: '钉钉待办' }).locator('.conv-sub').textContent()).resolves.toBe(
    '1 项未完成',
  );
  const [popup] = await Promise.all([page.waitForEvent('popup'), item.locator('button', { hasText: '打开' }).click()]);
  await popup.waitForURL(/authCode=/, { timeout: 10_000 });
  expect(new URL(popup.url()).searchParams.get('authCode')).toMatch(/^[0-9a-f]{32}$/);
  await popup.close();
  await item.locator('button', { hasText: '完成' }).click();
  await page.locator('.todo.todo-done', { hasText: '甲化工有限公司：防雷隐患待整改' }).waitFor({ timeout: 10_000 });
  const stored = await http<{ todos: Array<{ done: boolean }> }>(sim, 'GET', '/__sim/todos?userId=u-zhang');
  expect(stored.body.todos.map((t) => t.done)).toEqual([true]);
});

/** A robot 1:1 text to u-zhang through the official SDK. */
function textToZhang(content: string, token: string) {
  return sdk(sim).robot.batchSendOTOWithOptions(
    new BatchSendOTORequest({
      robotCode: APP.robotCode,
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content }),
      userIds: ['u-zhang'],
    }),
    new BatchSendOTOHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
}

test('a to-do change and a message in the same instant both show', async () => {
  await page.locator('#viewer').selectOption('u-zhang');
  await page.locator('.conv', { hasText: '钉钉待办' }).locator('.conv-sub', { hasText: '没有未完成的待办' }).waitFor();
  const [todo] = (await http<{ todos: Array<{ id: string }> }>(sim, 'GET', '/__sim/todos?userId=u-zhang')).body.todos;
  const token = await apiToken(sim);
  // Both events reach the page within a few milliseconds, in either order.
  await Promise.all([
    http(sim, 'POST', `/__sim/todos/${todo!.id}/done`, { userId: 'u-zhang', done: false }),
    textToZhang('同一时刻的消息', token),
  ]);
  await page.locator('.conv', { hasText: '钉钉待办' }).locator('.conv-sub', { hasText: '1 项未完成' }).waitFor();
  await page.locator('.conv', { hasText: '张伟' }).first().click();
  await page.locator('.msg', { hasText: '同一时刻的消息' }).waitFor({ timeout: 10_000 });
});

test('a message whose load failed (the page offline for a moment) shows once the page is back', async () => {
  await page.context().setOffline(true);
  const failed = page.waitForEvent('requestfailed', (r) => r.url().includes('/__sim/messages'));
  await textToZhang('断线期间的消息', await apiToken(sim));
  // The event reached the page, which could not load the message.
  await failed;
  await page.context().setOffline(false);
  await page.locator('.msg', { hasText: '断线期间的消息' }).waitFor({ timeout: 10_000 });
});
