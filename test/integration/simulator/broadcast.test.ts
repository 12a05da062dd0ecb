// Broadcast channels as DingTalk documents them (docs/warning-broadcast.md): work notices to 100
// people a call within 5,000 people a minute, the OA status bar updated in place, DING by app, SMS
// and phone (refused without the purchased package) and its recall, one card delivered to several
// robot chats with each recipient's private data, and the copies inspection built on them.
import {
  CreateAndDeliverHeaders,
  CreateAndDeliverRequest,
  CreateAndDeliverRequestCardData,
  CreateAndDeliverRequestImRobotOpenDeliverModel,
  PrivateDataValue,
  UpdateCardHeaders,
  UpdateCardRequest,
  UpdateCardRequestCardData,
  UpdateCardRequestCardUpdateOptions,
} from '@alicloud/dingtalk/dist/card_1_0/client';
import {
  RobotRecallDingHeaders,
  RobotRecallDingRequest,
  RobotSendDingHeaders,
  RobotSendDingRequest,
} from '@alicloud/dingtalk/dist/robot_1_0/client';
import type { Simulator } from '../../../simulator';
import { APP, LAYOUT, apiToken, http, rt, sdk, sdkFails, startTestSim } from './sim-helpers';

let sim: Simulator;
let token: string;
let oapiToken: string;
const crowd = Array.from({ length: 250 }, (_, i) => `crowd-${i}`);

beforeAll(async () => {
  sim = await startTestSim();
  await http(sim, 'POST', '/__sim/users', { users: crowd.map((userId) => ({ userId, name: userId })) });
  token = await apiToken(sim);
  oapiToken = (
    await http<{ access_token: string }>(sim, 'GET', `/gettoken?appkey=${APP.appKey}&appsecret=${APP.appSecret}`)
  ).body.access_token;
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await http(sim, 'POST', '/__sim/reset');
});

type OapiBody = Record<string, unknown> & { errcode: number };
const oapi = (path: string, body: unknown) => http<OapiBody>(sim, 'POST', `${path}?access_token=${oapiToken}`, body);
const oaNotice = (userIds: string[], title: string) =>
  oapi('/topapi/message/corpconversation/asyncsend_v2', {
    agent_id: APP.agentId,
    userid_list: userIds.join(','),
    msg: {
      msgtype: 'oa',
      oa: {
        message_url: 'https://example.com/ack',
        head: { bgcolor: 'FFF53F3F', text: '雷电预警' },
        body: { title, content: '请立即落实防雷措施' },
        status_bar: { status_value: '待确认', status_bg: '0xFFFF9D46' },
      },
    },
  });
const result = async (taskId: unknown) =>
  (await oapi('/topapi/message/corpconversation/getsendresult', { agent_id: APP.agentId, task_id: taskId })).body[
    'send_result'
  ] as { forbidden_list: Array<{ code: string; userid: string }>; unread_user_id_list: string[] };

describe('work notices to many people', () => {
  test('100 people a call; more than 100 is refused', async () => {
    const over = await oaNotice(crowd.slice(0, 101), '超员');
    expect(over.body.errcode).not.toBe(0);
    const ok = await oaNotice(crowd.slice(0, 100), '满员');
    expect(ok.body.errcode).toBe(0);
    expect((await result(ok.body['task_id'])).unread_user_id_list).toHaveLength(100);
  });

  test('beyond the people-per-minute cap the rest is dropped silently (forbidden 143104) until the minute passes', async () => {
    await http(sim, 'PUT', '/__sim/settings', { workNoticeRecipientsPerMinute: 150 });
    const a = await oaNotice(crowd.slice(0, 100), '第一批');
    const b = await oaNotice(crowd.slice(100, 200), '第二批');
    expect(a.body.errcode).toBe(0);
    expect(b.body.errcode).toBe(0);
    const rb = await result(b.body['task_id']);
    expect(rb.unread_user_id_list).toHaveLength(50);
    expect(rb.forbidden_list).toHaveLength(50);
    expect(new Set(rb.forbidden_list.map((f) => f.code))).toEqual(new Set(['143104']));
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 61_000 });
    oapiToken = (
      await http<{ access_token: string }>(sim, 'GET', `/gettoken?appkey=${APP.appKey}&appsecret=${APP.appSecret}`)
    ).body.access_token;
    const c = await oaNotice(crowd.slice(200, 250), '下一分钟');
    expect((await result(c.body['task_id'])).unread_user_id_list).toHaveLength(50);
  });

  test('an OA status bar update reaches every copy of the task at once', async () => {
    const sent = await oaNotice(crowd.slice(0, 80), '雷电红色预警');
    const before = await http<{ copies: number; shows: number }>(
      sim,
      'GET',
      `/__sim/copies?since=0&shows=${encodeURIComponent('已解除')}`,
    );
    expect(before.body).toMatchObject({ copies: 80, shows: 0 });
    const up = await oapi('/topapi/message/corpconversation/status_bar/update', {
      agent_id: APP.agentId,
      task_id: sent.body['task_id'],
      status_value: '已解除',
      status_bg: '0xFF858E99',
    });
    expect(up.body.errcode).toBe(0);
    const after = await http<{ copies: number; shows: number; lastAt: number }>(
      sim,
      'GET',
      `/__sim/copies?since=0&api=workNotice.send&shows=${encodeURIComponent('已解除')}`,
    );
    expect(after.body).toMatchObject({ copies: 80, shows: 80 });
    expect(after.body.lastAt).toBeGreaterThan(0);
    const msgs = await http<{ messages: Array<{ revisions?: Array<{ content: { oa: { status_bar: unknown } } }> }> }>(
      sim,
      'GET',
      `/__sim/messages?userId=crowd-3`,
    );
    expect(msgs.body.messages.at(-1)!.revisions!.at(-1)!.content.oa.status_bar).toEqual({
      status_value: '已解除',
      status_bg: '0xFF858E99',
    });
    // Only OA notices with a status bar can be updated; unknown tasks are refused.
    const text = await oapi('/topapi/message/corpconversation/asyncsend_v2', {
      agent_id: APP.agentId,
      userid_list: 'u-zhang',
      msg: { msgtype: 'text', text: { content: '纯文本' } },
    });
    const refused = await oapi('/topapi/message/corpconversation/status_bar/update', {
      agent_id: APP.agentId,
      task_id: text.body['task_id'],
      status_value: '已解除',
    });
    expect(refused.body.errcode).not.toBe(0);
    const unknown = await oapi('/topapi/message/corpconversation/status_bar/update', {
      agent_id: APP.agentId,
      task_id: 1,
      status_value: '已解除',
    });
    expect(unknown.body.errcode).not.toBe(0);
  });
});

describe('DING', () => {
  const ding = (remindType: number, receiverUserIdList: string[]) =>
    sdk(sim).robot.robotSendDingWithOptions(
      new RobotSendDingRequest({ robotCode: APP.robotCode, remindType, receiverUserIdList, content: '雷电红色预警' }),
      new RobotSendDingHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );

  test('in-app to 200 a call, SMS and phone to 20; without the package SMS or phone is refused', async () => {
    expect((await ding(1, crowd.slice(0, 200))).body!.openDingId).toMatch(/^ding/);
    expect((await sdkFails(ding(1, crowd.slice(0, 201)))).code).toBe('ding.receivercount.limit');
    expect((await sdkFails(ding(2, crowd.slice(0, 21)))).code).toBe('ding.receivercount.limit');
    expect((await ding(3, crowd.slice(0, 20))).body!.openDingId).toMatch(/^ding/);
    await http(sim, 'PUT', '/__sim/settings', { dingPhonePurchased: false });
    const refused = await sdkFails(ding(3, ['u-zhang']));
    expect(refused.code).toBe('ding.serverquota.insufficient');
    expect(refused.data.statusCode).toBe(400);
    expect((await ding(2, ['u-zhang'])).body!.openDingId).toMatch(/^ding/);
    await http(sim, 'PUT', '/__sim/settings', { dingSmsPurchased: false });
    expect((await sdkFails(ding(2, ['u-zhang']))).code).toBe('ding.serverquota.insufficient');
  });

  test('a recalled DING counts as withdrawn in every copy', async () => {
    const sent = await ding(1, crowd.slice(0, 5));
    const recall = await sdk(sim).robot.robotRecallDingWithOptions(
      new RobotRecallDingRequest({ robotCode: APP.robotCode, openDingId: sent.body!.openDingId }),
      new RobotRecallDingHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );
    expect(recall.body!.openDingId).toBe(sent.body!.openDingId);
    const copies = await http(sim, 'GET', `/__sim/copies?since=0&shows=${encodeURIComponent('解除')}`);
    expect(copies.body).toMatchObject({ copies: 5, shows: 0, recalled: 5, notShowing: 0 });
  });
});

describe('one card, many robot chats', () => {
  const users = crowd.slice(0, 30);
  const create = (outTrackId: string, ids: string[]) =>
    sdk(sim).card.createAndDeliverWithOptions(
      new CreateAndDeliverRequest({
        outTrackId,
        cardTemplateId: LAYOUT.templateId,
        openSpaceId: `dtv1.card//${ids.map((u) => `IM_ROBOT.${u}`).join(';')}`,
        callbackType: 'STREAM',
        cardData: new CreateAndDeliverRequestCardData({ cardParamMap: { title: '雷电红色预警' } }),
        privateData: Object.fromEntries(
          ids.map((u) => [u, new PrivateDataValue({ cardParamMap: { unitName: `${u} 单位` } })]),
        ),
        imRobotOpenDeliverModel: new CreateAndDeliverRequestImRobotOpenDeliverModel({ spaceType: 'IM_ROBOT' }),
      }),
      new CreateAndDeliverHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );

  test('one call delivers to every space, each recipient sees their own private data', async () => {
    const res = await create('shared-1', users);
    expect(res.body!.result!.deliverResults!.filter((d) => d.success)).toHaveLength(30);
    const reach = await http<{ apis: Record<string, { messages: number; recipients: number }> }>(
      sim,
      'GET',
      '/__sim/reach?since=0',
    );
    expect(reach.body.apis['card.createAndDeliver']).toMatchObject({ messages: 30, recipients: 30 });
    const some = await http<{ apis: Record<string, { recipients: number }> }>(
      sim,
      'GET',
      '/__sim/reach?since=0&prefix=crowd-1',
    );
    // crowd-1, crowd-10 … crowd-19 among the first 30.
    expect(some.body.apis['card.createAndDeliver']!.recipients).toBe(11);
    const mine = await http(sim, 'GET', `/__sim/copies?since=0&shows=${encodeURIComponent('crowd-7 单位')}`);
    expect(mine.body).toMatchObject({ copies: 30, shows: 1 });
    // One update of the public data reaches every copy.
    await sdk(sim).card.updateCardWithOptions(
      new UpdateCardRequest({
        outTrackId: 'shared-1',
        cardData: new UpdateCardRequestCardData({ cardParamMap: { statusText: '该预警已解除' } }),
        cardUpdateOptions: new UpdateCardRequestCardUpdateOptions({ updateCardDataByKey: true }),
      }),
      new UpdateCardHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );
    const lifted = await http(sim, 'GET', `/__sim/copies?since=0&shows=${encodeURIComponent('已解除')}`);
    expect(lifted.body).toMatchObject({ copies: 30, shows: 30, notShowing: 0 });
    // One recipient's private data changes: only their copy shows it, from then on. (The second
    // update of the card within a second: the per-card limit is off for it.)
    await http(sim, 'PUT', '/__sim/settings', { cardUpdatesPerCard: null });
    const before = (await http<{ now: number }>(sim, 'GET', '/__sim/stats')).body.now; // the simulated clock
    await sdk(sim).card.updateCardWithOptions(
      new UpdateCardRequest({
        outTrackId: 'shared-1',
        privateData: { 'crowd-3': new PrivateDataValue({ cardParamMap: { unitName: 'crowd-3 单位（已收到）' } }) },
        cardUpdateOptions: new UpdateCardRequestCardUpdateOptions({ updatePrivateDataByKey: true }),
      }),
      new UpdateCardHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );
    const answered = await http<{ shows: number; lastAt: number }>(
      sim,
      'GET',
      `/__sim/copies?since=0&shows=${encodeURIComponent('已收到')}`,
    );
    expect(answered.body.shows).toBe(1);
    expect(answered.body.lastAt).toBeGreaterThanOrEqual(before);
  });

  test('the spaces-per-call cap is a setting; over it the call is refused', async () => {
    await http(sim, 'PUT', '/__sim/settings', { cardSpacesPerCall: 10 });
    const err = await sdkFails(create('shared-2', users.slice(0, 11)));
    expect(err.code).toBe('param.invalid');
    expect((await create('shared-3', users.slice(0, 10))).body!.result!.deliverResults).toHaveLength(10);
  });
});
