// robot_1_0 through the official SDK (reference §3, §6): batchSend validation, invalid and
// flow-controlled users, group send, read status, recall, DING; what /__sim/messages shows.
import {
  BatchOTOQueryHeaders,
  BatchOTOQueryRequest,
  BatchRecallOTOHeaders,
  BatchRecallOTORequest,
  BatchSendOTOHeaders,
  BatchSendOTORequest,
  OrgGroupSendHeaders,
  OrgGroupSendRequest,
  RobotSendDingHeaders,
  RobotSendDingRequest,
} from '@alicloud/dingtalk/dist/robot_1_0/client';
import type { Simulator } from '../../../simulator';
import { APP, APP2, GROUP, apiToken, http, sdk, sdkFails, startTestSim, rt } from './sim-helpers';

let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startTestSim();
  token = await apiToken(sim);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await http(sim, 'POST', '/__sim/reset');
});

function batchSend(req: Partial<BatchSendOTORequest>) {
  return sdk(sim).robot.batchSendOTOWithOptions(
    new BatchSendOTORequest({
      robotCode: APP.robotCode,
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: '你好' }),
      userIds: ['u-zhang'],
      ...req,
    }),
    new BatchSendOTOHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
}

describe('batchSend', () => {
  test('delivers to known users, lists unknown ones in invalidStaffIdList', async () => {
    const res = await batchSend({
      userIds: ['u-zhang', 'u-li', 'nobody', 'u-other'],
      msgKey: 'sampleMarkdown',
      msgParam: JSON.stringify({ title: '隐患', text: '## 标题\n**加粗**' }),
    });
    expect(res.body!.processQueryKey).toBeTruthy();
    expect(res.body!.invalidStaffIdList).toEqual(['nobody', 'u-other']);
    expect(res.body!.flowControlledStaffIdList).toEqual([]);
    const msgs = await http<{ messages: Array<Record<string, unknown>> }>(
      sim,
      'GET',
      '/__sim/messages?api=robot.batchSend',
    );
    expect(msgs.body.messages).toHaveLength(2);
    expect(msgs.body.messages[0]).toMatchObject({
      seq: expect.any(Number),
      api: 'robot.batchSend',
      appKey: APP.appKey,
      to: { userId: 'u-zhang' },
      msgKey: 'sampleMarkdown',
      content: { title: '隐患', text: '## 标题\n**加粗**' },
      processQueryKey: res.body!.processQueryKey,
      at: expect.any(Number),
    });
    const again = await batchSend({});
    expect(again.body!.processQueryKey).not.toBe(res.body!.processQueryKey);
  });

  test.each([
    ['msgParam not JSON', { msgParam: '{not json' }, 'invalidParameter.msgParam.invalid'],
    ['msgParam missing content', { msgParam: JSON.stringify({ text: 'x' }) }, 'invalidParameter.msgParam.invalid'],
    ['unknown msgKey', { msgKey: 'sampleActionCard1' }, 'invalidParameter.msgKey.invalid'],
    [
      'an action card whose button leads nowhere',
      {
        msgKey: 'sampleActionCard',
        msgParam: JSON.stringify({ title: '预警', text: '请确认', singleTitle: '收到', singleURL: '/m/warnings/x' }),
      },
      'invalidParameter.msgParam.invalid',
    ],
    [
      'a field that is not a string',
      { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: '预警', text: 42 }) },
      'invalidParameter.msgParam.invalid',
    ],
    ['empty msgKey', { msgKey: '' }, 'invalidParameter.msgKey.empty'],
    ['no userIds', { userIds: [] }, 'invalidParameter.userIds.empty'],
    ['21 userIds', { userIds: Array.from({ length: 21 }, (_, i) => `u${i}`) }, 'invalidParameter.userIds.overMax'],
    ['unknown robotCode', { robotCode: 'no-such-robot' }, 'invalidParameter.robotCode.notExsit'],
    ["another app's robotCode", { robotCode: APP2.robotCode }, 'invalidParameter.robotCode.auth'],
  ])('rejects %s with 400', async (_label, req, code) => {
    const err = await sdkFails(batchSend(req as Partial<BatchSendOTORequest>));
    expect(err.data.statusCode).toBe(400);
    expect(err.code).toBe(code);
  });

  test('the userIds cap is configurable per app up to 100', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `x${i}`);
    expect((await sdkFails(batchSend({ userIds: ids }))).code).toBe('invalidParameter.userIds.overMax');
    expect((await http(sim, 'PUT', `/__sim/apps/${APP.appKey}`, { batchSendMaxUserIds: 100 })).status).toBe(200);
    expect((await batchSend({ userIds: ids })).body!.invalidStaffIdList).toHaveLength(50);
    expect((await http(sim, 'PUT', `/__sim/apps/${APP.appKey}`, { batchSendMaxUserIds: 101 })).status).toBe(400);
    await http(sim, 'PUT', `/__sim/apps/${APP.appKey}`, { batchSendMaxUserIds: 20 });
  });

  test('per-user flow control (off by default) lists throttled users', async () => {
    await http(sim, 'PUT', '/__sim/settings', { perUserMessagesPerMinute: 2 });
    await batchSend({ userIds: ['u-zhang'] });
    await batchSend({ userIds: ['u-zhang'] });
    const res = await batchSend({ userIds: ['u-zhang', 'u-li'] });
    expect(res.body!.flowControlledStaffIdList).toEqual(['u-zhang']);
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 61_000 });
    expect((await batchSend({ userIds: ['u-zhang'] })).body!.flowControlledStaffIdList).toEqual([]);
    await http(sim, 'PUT', '/__sim/settings', { perUserMessagesPerMinute: null });
  });
});

describe('read status, recall, group send, DING', () => {
  test('readStatus follows what the person read; batchRecall marks messages recalled', async () => {
    const { robot } = sdk(sim);
    const sent = await batchSend({ userIds: ['u-zhang', 'u-li'] });
    const key = sent.body!.processQueryKey!;
    await http(sim, 'POST', '/__sim/read', { userId: 'u-zhang' });
    const status = await robot.batchOTOQueryWithOptions(
      new BatchOTOQueryRequest({ robotCode: APP.robotCode, processQueryKey: key }),
      new BatchOTOQueryHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );
    const byUser = Object.fromEntries(status.body!.messageReadInfoList!.map((r) => [r.userId, r.readStatus]));
    expect(byUser).toEqual({ 'u-zhang': 'READ', 'u-li': 'UNREAD' });
    const recall = await robot.batchRecallOTOWithOptions(
      new BatchRecallOTORequest({ robotCode: APP.robotCode, processQueryKeys: [key, 'nope'] }),
      new BatchRecallOTOHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );
    expect(recall.body!.successResult).toEqual([key]);
    expect(Object.keys(recall.body!.failedResult!)).toEqual(['nope']);
    const msgs = await http<{ messages: Array<{ recalled?: boolean }> }>(sim, 'GET', '/__sim/messages?userId=u-li');
    expect(msgs.body.messages[0]!.recalled).toBe(true);
  });

  test('group send needs a known openConversationId', async () => {
    const { robot } = sdk(sim);
    const headers = new OrgGroupSendHeaders({ xAcsDingtalkAccessToken: token });
    const ok = await robot.orgGroupSendWithOptions(
      new OrgGroupSendRequest({
        robotCode: APP.robotCode,
        openConversationId: GROUP.openConversationId,
        msgKey: 'sampleText',
        msgParam: '{"content":"群消息"}',
      }),
      headers,
      rt(),
    );
    expect(ok.body!.processQueryKey).toBeTruthy();
    const err = await sdkFails(
      robot.orgGroupSendWithOptions(
        new OrgGroupSendRequest({
          robotCode: APP.robotCode,
          openConversationId: 'cidNope',
          msgKey: 'sampleText',
          msgParam: '{"content":"x"}',
        }),
        headers,
        rt(),
      ),
    );
    expect(err.code).toBe('invalid.openConversationId');
    const msgs = await http<{ messages: unknown[] }>(
      sim,
      'GET',
      `/__sim/messages?openConversationId=${encodeURIComponent(GROUP.openConversationId)}`,
    );
    expect(msgs.body.messages).toHaveLength(1);
  });

  test('DING returns openDingId and failedList', async () => {
    const res = await sdk(sim).robot.robotSendDingWithOptions(
      new RobotSendDingRequest({
        robotCode: APP.robotCode,
        remindType: 1,
        receiverUserIdList: ['u-zhang', 'ghost'],
        content: '请尽快处理隐患',
      }),
      new RobotSendDingHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );
    expect(res.body!.openDingId).toMatch(/^ding/);
    expect(res.body!.failedList).toEqual({ 'staffId.notExisted': ['ghost'] });
    const msgs = await http<{ messages: Array<Record<string, unknown>> }>(sim, 'GET', '/__sim/messages?api=ding.send');
    expect(msgs.body.messages).toEqual([
      expect.objectContaining({ to: { userId: 'u-zhang' }, openDingId: res.body!.openDingId }),
    ]);
  });
});
