// The DingTalk client in its own thread (what worker processes use) against the simulator and
// real Redis: same answers, same errors (kind, DingTalk's code, retry rule), metrics events back
// on the main thread, abort while waiting for quota, and a clean close.
import { DingTalkApiError } from '../../../bot/clients/errors';
import { DingTalkClient } from '../../../bot/clients/openapi/dingtalk-client';
import { startThreadedClient, type ThreadedDingTalkClient } from '../../../bot/clients/openapi/threaded-client';
import type { DingTalkCallEvent } from '../../../bot/clients/openapi/types';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis';
import { startTestSimulator, type TestSimulator } from '../../helpers/simulator';

describe('DingTalk client in a worker thread', () => {
  let t: TestRedis;
  let s: TestSimulator;
  let calls: DingTalkCallEvent[];
  let client: ThreadedDingTalkClient;

  beforeEach(async () => {
    t = createTestRedis('dtthread');
    s = await startTestSimulator();
    await s.addUsers([{ userId: 'u-zhang', name: '张三', mobile: '13800000001' }]);
    calls = [];
    client = await startThreadedClient({
      config: { ...s.config.dingtalk, qpsOverrides: { 'user.getByMobile': 0.5 } },
      redis: { url: testRedisUrl() },
      keyPrefix: t.prefix,
      onCall: (e) => calls.push(e),
    });
  });
  afterEach(async () => {
    await client.close();
    await s.close();
    await t.cleanup();
  });

  it('sends and answers like DingTalkClient, reporting each call on the main thread', async () => {
    expect(client.robotCode).toBe(s.config.dingtalk.robotCode ?? s.config.dingtalk.appKey);
    const sent = await client.robotBatchSend({
      userIds: ['u-zhang', 'ghost'],
      msgKey: 'sampleText',
      msgParam: { content: '雷电预警' },
    });
    expect(sent.processQueryKey).toBeTruthy();
    expect(sent.invalidStaffIds).toEqual(['ghost']);
    expect(await client.userGet('u-zhang')).toMatchObject({ userId: 'u-zhang', name: '张三' });
    const messages = await s.call<{ messages: Array<{ to: { userId?: string } }> }>(
      'GET',
      '/__sim/messages?api=robot.batchSend',
    );
    expect(messages.messages.map((m) => m.to.userId)).toEqual(['u-zhang']);
    expect(calls.map((c) => `${c.api}:${c.outcome}`)).toEqual([
      'oauth2.accessToken:success',
      'robot.batchSend:success',
      'user.get:success',
    ]);
  });

  it('fails with the same DingTalkApiError as the client in this thread', async () => {
    const direct = new DingTalkClient({ config: s.config.dingtalk, redis: t.redis, keyPrefix: `${t.prefix}direct:` });
    const here = (await direct.userGet('ghost').catch((e: unknown) => e)) as DingTalkApiError;
    const there = (await client.userGet('ghost').catch((e: unknown) => e)) as DingTalkApiError;
    expect(here).toBeInstanceOf(DingTalkApiError);
    expect(there).toBeInstanceOf(DingTalkApiError);
    for (const field of [
      'code',
      'message',
      'api',
      'kind',
      'retryable',
      'permanent',
      'dingCode',
      'httpStatus',
      'tokenRejected',
    ] as const) {
      expect(there[field]).toEqual(here[field]);
    }
  });

  it('gives up waiting for quota when the caller aborts, with the caller’s reason', async () => {
    await client.userByMobile('13800000001'); // takes the only slot of the next 2 s
    const ac = new AbortController();
    const waiting = client.userByMobile('13800000001', { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('停止')), 100);
    await expect(waiting).rejects.toThrow('停止');
    expect(calls.filter((c) => c.api === 'user.getByMobile')).toHaveLength(1);
  });

  it('refuses calls once closed', async () => {
    await client.close();
    await expect(client.userGet('u-zhang')).rejects.toThrow('closed');
  });
});
