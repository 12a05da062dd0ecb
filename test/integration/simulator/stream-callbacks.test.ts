// Stream callbacks through dingtalk-stream's DWClient (reference §2): card clicks whose ACK
// response updates the card, robot messages with a working sessionWebhook.
import {
  CreateAndDeliverHeaders,
  CreateAndDeliverRequest,
  CreateAndDeliverRequestCardData,
  CreateAndDeliverRequestImGroupOpenDeliverModel,
  CreateAndDeliverRequestImRobotOpenDeliverModel,
  UpdateCardHeaders,
  UpdateCardRequest,
  UpdateCardRequestCardData,
  UpdateCardRequestCardUpdateOptions,
} from '@alicloud/dingtalk/dist/card_1_0/client';
import { TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type { Simulator } from '../../../simulator';
import { APP, GROUP, LAYOUT, SimDWClient, apiToken, http, sdk, startTestSim, waitFor, rt } from './sim-helpers';

let sim: Simulator;
let token: string;
let client: SimDWClient;
const cardFrames: DWClientDownStream[] = [];
const robotFrames: DWClientDownStream[] = [];
let reply: unknown = null;

beforeAll(async () => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  sim = await startTestSim();
  token = await apiToken(sim);
  client = new SimDWClient(sim.url, { clientId: APP.appKey, clientSecret: APP.appSecret });
  client.registerCallbackListener(TOPIC_CARD, (msg) => {
    cardFrames.push(msg);
    client.socketCallBackResponse(msg.headers.messageId, reply);
  });
  client.registerCallbackListener(TOPIC_ROBOT, (msg) => {
    robotFrames.push(msg);
    client.socketCallBackResponse(msg.headers.messageId, null);
  });
  await client.connect();
  await waitFor(() => sim.state.apps.size > 0 && client.connected, 5000, 'stream connection');
});
afterAll(async () => {
  client.disconnect();
  await sim.close();
});

async function createCard(outTrackId: string, openSpaceId = 'dtv1.card//IM_ROBOT.u-zhang'): Promise<void> {
  await sdk(sim).card.createAndDeliverWithOptions(
    new CreateAndDeliverRequest({
      outTrackId,
      cardTemplateId: LAYOUT.templateId,
      openSpaceId,
      callbackType: 'STREAM',
      cardData: new CreateAndDeliverRequestCardData({
        cardParamMap: { title: '隐患通知', unitName: '甲单位', actionsVisible: 'true', hazardId: 'H-42' },
      }),
      imRobotOpenDeliverModel: new CreateAndDeliverRequestImRobotOpenDeliverModel({ spaceType: 'IM_ROBOT' }),
      imGroupOpenDeliverModel: new CreateAndDeliverRequestImGroupOpenDeliverModel({ robotCode: APP.robotCode }),
    }),
    new CreateAndDeliverHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
}

interface ClickBody {
  acked: boolean;
  response: unknown;
  card: { cardData: Record<string, string>; privateData: Record<string, Record<string, string>>; version: number };
}

describe('card click callback', () => {
  test('the click reaches the stream client; its ACK response updates the card', async () => {
    await createCard('click-1');
    reply = {
      cardData: { cardParamMap: { statusText: '张伟已确认', actionsVisible: 'false' } },
      userPrivateData: { cardParamMap: { mine: '我已知悉' } },
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
    };
    const res = await http<ClickBody>(sim, 'POST', '/__sim/cards/click-1/click', {
      userId: 'u-zhang',
      actionId: 'ack',
    });
    expect(res.status).toBe(200);
    expect(res.body.acked).toBe(true);
    expect(res.body.card.cardData).toMatchObject({
      title: '隐患通知',
      statusText: '张伟已确认',
      actionsVisible: 'false',
    });
    expect(res.body.card.privateData['u-zhang']).toEqual({ mine: '我已知悉' });

    const frame = cardFrames.at(-1)!;
    expect(frame.type).toBe('CALLBACK');
    expect(frame.headers.topic).toBe('/v1.0/card/instances/callback');
    expect(frame.headers.time).toMatch(/^\d{13}$/);
    expect(typeof frame.data).toBe('string');
    const data = JSON.parse(frame.data) as Record<string, string>;
    expect(data).toMatchObject({
      type: 'actionCallback',
      outTrackId: 'click-1',
      corpId: APP.corpId,
      userId: 'u-zhang',
      spaceType: 'IM_ROBOT',
    });
    expect(JSON.parse(data['content']!)).toEqual({
      cardPrivateData: { actionIds: ['ack'], params: { hazardId: 'H-42' } },
    });
  });

  test('a hidden button cannot be clicked; replace semantics without options', async () => {
    const hidden = await http<{ error: string }>(sim, 'POST', '/__sim/cards/click-1/click', {
      userId: 'u-zhang',
      actionId: 'ack',
    });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error).toContain('不可见');
    await createCard('click-2', `dtv1.card//IM_GROUP.${GROUP.openConversationId}`);
    reply = { cardData: { cardParamMap: { title: '只剩标题' } } };
    const res = await http<ClickBody>(sim, 'POST', '/__sim/cards/click-2/click', { userId: 'u-li', actionId: 'ack' });
    expect(res.body.card.cardData).toEqual({ title: '只剩标题' });
    expect(JSON.parse(cardFrames.at(-1)!.data)).toMatchObject({
      spaceType: 'IM_GROUP',
      spaceId: GROUP.openConversationId,
      userId: 'u-li',
    });
    const outsider = await http(sim, 'POST', '/__sim/cards/click-2/click', { userId: 'u-wang', actionId: 'ack' });
    expect(outsider.status).toBe(403);
  });

  test('a later PUT /v1.0/card/instances also updates the clicked card', async () => {
    await createCard('click-3');
    reply = null;
    const res = await http<ClickBody>(sim, 'POST', '/__sim/cards/click-3/click', {
      userId: 'u-zhang',
      actionId: 'ack',
    });
    expect(res.body).toMatchObject({ acked: true, response: null });
    await sdk(sim).card.updateCardWithOptions(
      new UpdateCardRequest({
        outTrackId: 'click-3',
        cardData: new UpdateCardRequestCardData({ cardParamMap: { statusText: '稍后更新' } }),
        cardUpdateOptions: new UpdateCardRequestCardUpdateOptions({ updateCardDataByKey: true }),
      }),
      new UpdateCardHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );
    const card = await http<{ cardData: Record<string, string>; history: Array<{ source: string }> }>(
      sim,
      'GET',
      '/__sim/cards/click-3',
    );
    expect(card.body.cardData).toMatchObject({ title: '隐患通知', statusText: '稍后更新' });
    expect(card.body.history.map((h) => h.source)).toEqual(['create', 'api']);
  });
});

describe('driven clicks (POST /__sim/drive)', () => {
  test('the simulator sends scheduled clicks and raw frames itself and answers each in item order', async () => {
    await createCard('drive-1');
    await createCard('drive-2');
    reply = {
      userPrivateData: { cardParamMap: { mine: '已收到' } },
      cardUpdateOptions: { updatePrivateDataByKey: true },
    };
    const before = cardFrames.length;
    const res = await http<{
      spanMs: number;
      results: Array<{ sentAtMs: number; acked: boolean; ackMs?: number; response: unknown; error?: string }>;
    }>(sim, 'POST', '/__sim/drive', {
      rate: 20,
      items: [
        { click: { outTrackId: 'drive-1', userId: 'u-zhang', actionId: 'ack' } },
        { callback: { data: { type: 'actionCallback', outTrackId: 'drive-raw', userId: 'u-zhang', content: '{}' } } },
        { click: { outTrackId: 'drive-2', userId: 'u-zhang', actionId: 'ack' } },
        { click: { outTrackId: 'no-such-card', userId: 'u-zhang', actionId: 'ack' } },
      ],
    });
    expect(res.status).toBe(200);
    const { results, spanMs } = res.body;
    expect(results).toHaveLength(4);
    expect(results.slice(0, 3).every((r) => r.acked && typeof r.ackMs === 'number')).toBe(true);
    expect(results[0]!.response).toEqual(reply);
    // Open-loop: item i leaves i/rate s after the start (here 50 ms apart), not after earlier answers.
    expect(results[3]!.sentAtMs).toBeGreaterThanOrEqual(150);
    expect(spanMs).toBeGreaterThanOrEqual(results[3]!.sentAtMs);
    // A click the simulator cannot make is answered with its error, the others are unaffected.
    expect(results[3]).toMatchObject({ acked: false, error: '卡片不存在：no-such-card' });
    expect(cardFrames.slice(before).map((f) => (JSON.parse(f.data) as { outTrackId: string }).outTrackId)).toEqual([
      'drive-1',
      'drive-raw',
      'drive-2',
    ]);
    expect((await http<ClickBody['card']>(sim, 'GET', '/__sim/cards/drive-2')).body.privateData['u-zhang']).toEqual({
      mine: '已收到',
    });
    // Bad schedules are refused.
    expect((await http(sim, 'POST', '/__sim/drive', { rate: 0, items: [] })).status).toBe(400);
  });
});

describe('robot messages', () => {
  test('1:1 text: full payload, and the sessionWebhook reply lands in the conversation', async () => {
    const before = robotFrames.length;
    await http(sim, 'POST', '/__sim/chat', { userId: 'u-zhang', text: '查询 隐患' });
    await waitFor(() => robotFrames.length > before, 3000, 'robot frame');
    const d = JSON.parse(robotFrames.at(-1)!.data) as Record<string, unknown>;
    expect(d).toMatchObject({
      conversationType: '1',
      senderStaffId: 'u-zhang',
      senderNick: '张伟',
      chatbotCorpId: APP.corpId,
      senderCorpId: APP.corpId,
      robotCode: APP.robotCode,
      msgtype: 'text',
      text: { content: '查询 隐患' },
      isInAtList: false,
    });
    expect(String(d['conversationId'])).toMatch(/^cid/);
    expect(String(d['senderId'])).toMatch(/^\$:LWCP_v1:\$/);
    expect(Number(d['sessionWebhookExpiredTime']) - Number(d['createAt'])).toBe(90 * 60_000);
    const hook = String(d['sessionWebhook']);
    expect(hook.startsWith(`${sim.url}/robot/sendBySession?session=`)).toBe(true);
    const path = hook.slice(sim.url.length);
    const ok = await http(sim, 'POST', path, {
      msgtype: 'text',
      text: { content: '收到' },
      at: { atUserIds: ['u-zhang'] },
    });
    expect(ok.body).toEqual({ errcode: 0, errmsg: 'ok' });
    const msgs = await http<{ messages: Array<{ api: string; content: unknown }> }>(
      sim,
      'GET',
      '/__sim/messages?userId=u-zhang&api=webhook.session',
    );
    expect(msgs.body.messages).toHaveLength(1);
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 91 * 60_000 });
    expect((await http(sim, 'POST', path, { msgtype: 'text', text: { content: '晚了' } })).body).toMatchObject({
      errcode: 300001,
    });
  });

  test('groups: only @-mentions reach the robot', async () => {
    const before = robotFrames.length;
    await http(sim, 'POST', '/__sim/chat', {
      userId: 'u-li',
      text: '大家好',
      openConversationId: GROUP.openConversationId,
      atRobot: false,
    });
    await http(sim, 'POST', '/__sim/chat', {
      userId: 'u-li',
      text: '@雷卫 今日排名',
      openConversationId: GROUP.openConversationId,
    });
    await waitFor(() => robotFrames.length > before, 3000, 'group robot frame');
    await new Promise((r) => setTimeout(r, 100));
    expect(robotFrames.length).toBe(before + 1);
    const d = JSON.parse(robotFrames.at(-1)!.data) as Record<string, unknown>;
    expect(d).toMatchObject({
      conversationType: '2',
      conversationId: GROUP.openConversationId,
      conversationTitle: GROUP.title,
      isInAtList: true,
      text: { content: ' 今日排名' },
    });
    const notMember = await http<{ error: string }>(sim, 'POST', '/__sim/chat', {
      userId: 'u-wang',
      text: 'x',
      openConversationId: GROUP.openConversationId,
    });
    expect(notMember.status).toBe(400);
    expect(notMember.body.error).toContain('不是群');
  });
});
