// Custom group robot webhook (reference §7): signing, keywords, rate limit and block, unknown token.
import type { Simulator } from '../../../simulator';
import { webhookSign } from '../../../simulator';
import { GROUP, http, startTestSim } from './sim-helpers';

let sim: Simulator;
const SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
let signed: string;
let keyworded: string;

beforeAll(async () => {
  sim = await startTestSim();
  signed = (
    await http<{ accessToken: string }>(sim, 'POST', '/__sim/webhook-robots', {
      openConversationId: GROUP.openConversationId,
      name: '预警机器人',
      secret: SECRET,
    })
  ).body.accessToken;
  keyworded = (
    await http<{ accessToken: string }>(sim, 'POST', '/__sim/webhook-robots', {
      name: '关键词机器人',
      keywords: ['雷电', '预警'],
    })
  ).body.accessToken;
});
afterAll(async () => {
  await sim.close();
});

const text = (content: string) => ({ msgtype: 'text', text: { content } });

function signedUrl(ts: number, secret = SECRET): string {
  return `/robot/send?access_token=${signed}&timestamp=${ts}&sign=${encodeURIComponent(webhookSign(secret, ts))}`;
}

describe('signature', () => {
  test('a correctly signed message is accepted and shows in the group', async () => {
    const now = sim.state.clock.now();
    const res = await http(sim, 'POST', signedUrl(now), text('雷电黄色预警'));
    expect(res.body).toEqual({ errcode: 0, errmsg: 'ok' });
    const msgs = await http<{ messages: Array<Record<string, unknown>> }>(
      sim,
      'GET',
      '/__sim/messages?api=webhook.send',
    );
    expect(msgs.body.messages.at(-1)).toMatchObject({
      to: { webhook: '预警机器人', openConversationId: GROUP.openConversationId },
      msgtype: 'text',
    });
  });

  test.each([
    ['wrong secret', (now: number) => signedUrl(now, 'SECwrong'), 'sign not match'],
    ['stale timestamp', (now: number) => signedUrl(now - 3601_000), 'invalid timestamp'],
    ['no timestamp', () => `/robot/send?access_token=${signed}`, 'invalid timestamp'],
    [
      'unencoded sign',
      (now: number) =>
        `/robot/send?access_token=${signed}&timestamp=${now}&sign=${webhookSign(SECRET, now).replace(/[+/=]/g, '+')}`,
      'sign not match',
    ],
  ])('%s → 310000', async (_label, url, errmsg) => {
    const res = await http(sim, 'POST', url(sim.state.clock.now()), text('测试'));
    expect(res.body).toMatchObject({ errcode: 310000, errmsg });
  });

  test('unknown token → 300005; wrong content type → 43004; unknown msgtype → 400105', async () => {
    expect((await http(sim, 'POST', '/robot/send?access_token=nope', text('x'))).body).toMatchObject({
      errcode: 300005,
      errmsg: 'token is not exist',
    });
    const form = await fetch(`${sim.url}/robot/send?access_token=${keyworded}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(await form.json()).toMatchObject({ errcode: 43004 });
    expect((await http(sim, 'POST', `/robot/send?access_token=${keyworded}`, { msgtype: 'voice' })).body).toMatchObject(
      { errcode: 400105 },
    );
  });
});

describe('keywords and rate limit', () => {
  test('content must contain a keyword', async () => {
    expect((await http(sim, 'POST', `/robot/send?access_token=${keyworded}`, text('普通消息'))).body).toMatchObject({
      errcode: 310000,
      errmsg: 'keywords not in content',
    });
    const md = { msgtype: 'markdown', markdown: { title: '通知', text: '### 雷电预警\n注意防范' } };
    expect((await http(sim, 'POST', `/robot/send?access_token=${keyworded}`, md)).body).toMatchObject({ errcode: 0 });
  });

  test('20 messages a minute, then blocked for 10 minutes with 660026', async () => {
    await http(sim, 'POST', '/__sim/reset');
    const send = () =>
      http<{ errcode: number; errmsg: string }>(sim, 'POST', `/robot/send?access_token=${keyworded}`, text('雷电预警'));
    for (let i = 0; i < 20; i++) expect((await send()).body.errcode).toBe(0);
    expect((await send()).body).toEqual({
      errcode: 660026,
      errmsg: 'sending too many messages per minute',
      request_id: expect.any(String),
    });
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 5 * 60_000 });
    expect((await send()).body.errcode).toBe(660026);
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 5 * 60_000 + 1000 });
    expect((await send()).body.errcode).toBe(0);
  });
});
