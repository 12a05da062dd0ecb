// DingTalkClient against the simulator and real Redis: every call, token expiry and
// invalidation mid-run, and error mapping of what the simulator answers.
import { DingTalkApiError } from '../../../bot/clients/errors';
import { DingTalkClient } from '../../../bot/clients/openapi/dingtalk-client';
import { robotSpace } from '../../../bot/clients/openapi/card-request';
import type { DingTalkCallEvent } from '../../../bot/clients/openapi/types';
import { WebhookRobotClient } from '../../../bot/clients/webhook-robot';
import { createTestRedis, type TestRedis } from '../../helpers/redis';
import { startTestSimulator, type TestSimulator } from '../../helpers/simulator';

const LAYOUT = {
  blocks: [
    { type: 'header', text: '${title}' },
    { type: 'actions', buttons: [{ text: '确认', action: 'callback', actionId: 'confirm', params: { v: '1' } }] },
  ],
};

describe('DingTalkClient against the simulator', () => {
  let t: TestRedis;
  let s: TestSimulator;
  let calls: DingTalkCallEvent[];
  let client: DingTalkClient;

  beforeEach(async () => {
    t = createTestRedis('dtclient');
    s = await startTestSimulator();
    await s.addUsers([
      { userId: 'u-zhang', name: '张三', mobile: '13800000001' },
      { userId: 'u-li', name: '李四', mobile: '13800000002' },
    ]);
    calls = [];
    client = new DingTalkClient({
      config: s.config.dingtalk,
      redis: t.redis,
      keyPrefix: t.prefix,
      onCall: (e) => calls.push(e),
    });
  });
  afterEach(async () => {
    await s.close();
    await t.cleanup();
  });

  it('sends robot messages, reads status, recalls; reports each call by name', async () => {
    const sent = await client.robotBatchSend({
      userIds: ['u-zhang', 'ghost'],
      msgKey: 'sampleMarkdown',
      msgParam: { title: '隐患通知', text: '## 隐患' },
    });
    expect(sent.processQueryKey).toBeTruthy();
    expect(sent.invalidStaffIds).toEqual(['ghost']);
    const status = await client.robotReadStatus(sent.processQueryKey);
    expect(status.readInfo.map((r) => r.userId)).toContain('u-zhang');
    const recalled = await client.robotRecall([sent.processQueryKey]);
    expect(recalled.recalled).toEqual([sent.processQueryKey]);
    expect(calls.map((c) => `${c.api}:${c.outcome}`)).toEqual([
      'oauth2.accessToken:success',
      'robot.batchSend:success',
      'robot.readStatus:success',
      'robot.batchRecall:success',
    ]);
  });

  it('creates, delivers and updates a STREAM card', async () => {
    await s.addCardTemplate('tpl-hazard', LAYOUT);
    const created = await client.cardCreateAndDeliver({
      cardTemplateId: 'tpl-hazard',
      outTrackId: 'hz-1',
      cardParamMap: { title: '隐患 A' },
      privateData: { 'u-zhang': { mine: 'true' } },
      spaces: [robotSpace('u-zhang')],
      lastMessage: '隐患通知',
    });
    expect(created.deliverResults).toEqual([expect.objectContaining({ spaceType: 'IM_ROBOT', success: true })]);
    await client.cardUpdate({ outTrackId: 'hz-1', cardParamMap: { status: '已整改' }, mergeByKey: true });
    const card = await s.call<{ cardData: Record<string, string>; callbackType: string }>('GET', '/__sim/cards/hz-1');
    expect(card.cardData).toEqual({ title: '隐患 A', status: '已整改' });
    expect(card.callbackType).toBe('STREAM');
    const missing = await client
      .cardUpdate({ outTrackId: 'nope', cardParamMap: { a: 'b' }, mergeByKey: true })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DingTalkApiError);
    expect(missing).toMatchObject({
      api: 'card.update',
      dingCode: 'param.cardNotExist',
      kind: 'invalid',
      retryable: false,
    });
  });

  it('sends work notices and DINGs, looks users up', async () => {
    const { taskId } = await client.workNoticeSend({
      userIds: ['u-zhang'],
      msg: { msgtype: 'text', text: { content: '请尽快整改' } },
    });
    expect(taskId).toBeGreaterThan(0);
    const result = await client.workNoticeResult(taskId);
    expect(result.invalidUserIds).toEqual([]);
    const ding = await client.dingSend({ userIds: ['u-li'], content: '约谈通知', remindType: 1 });
    expect(ding.openDingId).toBeTruthy();
    expect(await client.userGet('u-li')).toMatchObject({ userId: 'u-li', name: '李四' });
    expect(await client.userByMobile('13800000001')).toBe('u-zhang');
    expect(await client.userByMobile('13900000000')).toBeNull();
    const { code } = await s.call<{ code: string }>('POST', '/__sim/authcodes', { userId: 'u-zhang' });
    expect(await client.userByAuthCode(code)).toMatchObject({ userId: 'u-zhang' });
    const bad = await client.userGet('ghost').catch((e: unknown) => e);
    expect(bad).toMatchObject({ api: 'user.get', kind: 'invalid', retryable: false });
  });

  it('changes the status bar of every copy of an OA work notice and recalls a DING (issue #20)', async () => {
    const oa = {
      msgtype: 'oa' as const,
      oa: {
        message_url: 'https://leiguard.example.gov.cn/m/warnings/x',
        head: { bgcolor: 'FFB3261E', text: '雷电预警' },
        status_bar: { status_value: '待确认收到', status_bg: 'FFB3261E' },
        body: { title: '【雷电红色预警】', content: '请立即落实防雷安全措施' },
      },
    };
    const { taskId } = await client.workNoticeSend({ userIds: ['u-zhang', 'u-li'], msg: oa });
    await client.workNoticeUpdateStatusBar({ taskId, statusValue: '已解除', statusBg: 'FF78909C' });
    for (const userId of ['u-zhang', 'u-li']) {
      const { messages } = await s.call<{ messages: Array<{ revisions?: Array<{ content: unknown }> }> }>(
        'GET',
        `/__sim/messages?userId=${userId}&api=workNotice.send`,
      );
      expect(JSON.stringify(messages[0]!.revisions?.at(-1)?.content)).toContain('"status_value":"已解除"');
    }
    const ding = await client.dingSend({ userIds: ['u-li'], content: '预警已解除', remindType: 1 });
    await client.dingRecall(ding.openDingId);
    const { messages } = await s.call<{ messages: Array<{ recalled?: boolean }> }>(
      'GET',
      '/__sim/messages?userId=u-li&api=ding.send',
    );
    expect(messages.map((m) => m.recalled)).toEqual([true]);
    // A status bar only OA notices have; an unknown DING: DingTalk's refusals, typed.
    const text = await client.workNoticeSend({
      userIds: ['u-li'],
      msg: { msgtype: 'text', text: { content: '文本' } },
    });
    await expect(
      client.workNoticeUpdateStatusBar({ taskId: text.taskId, statusValue: '已解除' }),
    ).rejects.toMatchObject({ api: 'workNotice.updateStatusBar', retryable: false });
    await expect(client.dingRecall('ding-unknown')).rejects.toMatchObject({ api: 'ding.recall', retryable: false });
  });

  it('refreshes once and retries once when the token expired (clock advanced)', async () => {
    await client.userGet('u-zhang');
    await s.advanceClock(7200_000 + 1000); // the simulator's token is dead, ours still cached
    await expect(
      client.robotBatchSend({ userIds: ['u-zhang'], msgKey: 'sampleText', msgParam: { content: '你好' } }),
    ).resolves.toBeTruthy();
    expect(calls.map((c) => `${c.api}:${c.outcome}`)).toEqual([
      'oauth2.accessToken:success',
      'user.get:success',
      'robot.batchSend:auth',
      'oauth2.accessToken:success',
      'robot.batchSend:success',
    ]);
  });

  it('refreshes once when the token is invalidated mid-run, for both API families', async () => {
    await client.userGet('u-zhang');
    await s.invalidateTokens();
    await client.userGet('u-zhang'); // old API: errcode 88 / sub_code 40014
    await s.invalidateTokens();
    await client.robotBatchSend({ userIds: ['u-zhang'], msgKey: 'sampleText', msgParam: { content: '你好' } }); // 400 InvalidAuthentication
    expect(calls.filter((c) => c.api === 'oauth2.accessToken')).toHaveLength(3);
    expect(calls.filter((c) => c.outcome === 'auth').map((c) => c.dingCode)).toEqual(['88', 'InvalidAuthentication']);
    const stats = await s.stats();
    expect(stats.apis['oauth2.accessToken']?.calls).toBe(3);
  });

  it('refreshes ahead of expiry (5 min early) without any rejected call', async () => {
    await s.close();
    s = await startTestSimulator({ simulator: { tokenTtlSeconds: 301 } }); // fresh for 1 s only
    await s.addUsers([{ userId: 'u-zhang', name: '张三' }]);
    const c = new DingTalkClient({
      config: s.config.dingtalk,
      redis: t.redis,
      keyPrefix: `${t.prefix}early:`,
      onCall: (e) => calls.push(e),
    });
    await c.userGet('u-zhang');
    await c.userGet('u-zhang');
    await new Promise((r) => setTimeout(r, 1100));
    await c.userGet('u-zhang');
    expect(calls.map((e) => `${e.api}:${e.outcome}`)).toEqual([
      'oauth2.accessToken:success',
      'user.get:success',
      'user.get:success',
      'oauth2.accessToken:success',
      'user.get:success',
    ]);
  });

  it('can take its token from the old /gettoken', async () => {
    const c = new DingTalkClient({
      config: s.config.dingtalk,
      redis: t.redis,
      keyPrefix: `${t.prefix}old:`,
      tokenSource: 'gettoken',
      onCall: (e) => calls.push(e),
    });
    await c.userGet('u-zhang');
    expect(calls.map((e) => e.api)).toEqual(['gettoken', 'user.get']);
  });

  it('shares the token between clients through Redis', async () => {
    const other = new DingTalkClient({ config: s.config.dingtalk, redis: t.connect(), keyPrefix: t.prefix });
    const [a, b] = await Promise.all([client.getAccessToken(), other.getAccessToken()]);
    expect(a).toBe(b);
    expect((await s.stats()).apis['oauth2.accessToken']?.calls).toBe(1);
  });

  it('maps the simulator quota error and parameter errors', async () => {
    await s.setQuota('user.get', 1);
    const unlimited = new DingTalkClient({
      config: s.config.dingtalk,
      redis: t.redis,
      keyPrefix: t.prefix,
      limiter: null,
    });
    const results = await Promise.allSettled([1, 2, 3].map(() => unlimited.userGet('u-zhang')));
    const quota = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => r.reason as DingTalkApiError);
    expect(quota.length).toBeGreaterThan(0);
    expect(quota[0]).toMatchObject({ kind: 'quota', retryable: true, retryAfterMs: 1000, dingCode: '90018' });
    const tooMany = Array.from({ length: 21 }, (_, i) => `u${i}`);
    const over = await client
      .robotBatchSend({ userIds: tooMany, msgKey: 'sampleText', msgParam: { content: 'x' } })
      .catch((e: unknown) => e);
    expect(over).toMatchObject({ kind: 'invalid', retryable: false, httpStatus: 400 });
    expect((over as DingTalkApiError).dingCode).toMatch(/^invalidParameter\./);
  });

  it('reports network failures as retryable', async () => {
    await s.close();
    const err = await client.userGet('u-zhang').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'network', retryable: true });
    s = await startTestSimulator(); // for afterEach
  });

  it('sends through a signed custom robot webhook and maps its errors', async () => {
    const secret = 'SECtestsecret0123456789';
    const { webhook } = await s.call<{ webhook: string }>('POST', '/__sim/webhook-robots', {
      secret,
      keywords: ['雷卫'],
    });
    const robots = new WebhookRobotClient();
    await robots.send({ url: webhook, secret }, { msgtype: 'text', text: { content: '雷卫：雷电预警' } });
    const wrongSign = await robots
      .send({ url: webhook, secret: 'SECwrong' }, { msgtype: 'text', text: { content: '雷卫' } })
      .catch((e: unknown) => e);
    expect(wrongSign).toMatchObject({ api: 'webhook.send', dingCode: '310000', retryable: false });
    const noKeyword = await robots
      .send({ url: webhook, secret }, { msgtype: 'text', text: { content: '你好' } })
      .catch((e: unknown) => e);
    expect(noKeyword).toMatchObject({ dingCode: '310000', retryable: false });
    let last: unknown;
    for (let i = 0; i < 21 && !last; i++) {
      last = await robots
        .send({ url: webhook, secret }, { msgtype: 'text', text: { content: `雷卫 ${i}` } })
        .catch((e: unknown) => e);
    }
    expect(last).toMatchObject({ dingCode: '660026', kind: 'quota', retryable: true, retryAfterMs: 600_000 });
  });
});
