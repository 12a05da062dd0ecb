// The /__sim/ test API itself: Chinese 400s, directory, message filters, reset, live events.
import type { Simulator } from '../../../simulator';
import { APP, LAYOUT, http, startTestSim } from './sim-helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});

async function sendText(userId: string, content: string): Promise<void> {
  const token = (
    await http<{ access_token: string }>(sim, 'GET', `/gettoken?appkey=${APP.appKey}&appsecret=${APP.appSecret}`)
  ).body.access_token;
  const res = await http(
    sim,
    'POST',
    '/v1.0/robot/oToMessages/batchSend',
    { robotCode: APP.robotCode, userIds: [userId], msgKey: 'sampleText', msgParam: JSON.stringify({ content }) },
    { 'x-acs-dingtalk-access-token': token },
  );
  expect(res.status).toBe(200);
}

describe('input validation', () => {
  test.each([
    ['/__sim/users', { users: [{ userId: 'x' }] }],
    ['/__sim/groups', { openConversationId: 'cid1', title: '群', memberUserIds: ['nobody'] }],
    [
      '/__sim/card-templates',
      { templateId: 't', layout: { blocks: [{ type: 'actions', buttons: [{ text: '点', action: 'callback' }] }] } },
    ],
    ['/__sim/card-templates', { templateId: 't', layout: { blocks: [{ type: 'table' }] } }],
    ['/__sim/authcodes', { userId: 'nobody' }],
    ['/__sim/webhook-robots', { secret: 'nosec' }],
    ['/__sim/clock', { advanceMs: 'soon' }],
    ['/__sim/chat', { userId: 'nobody', text: '你好' }],
  ])('POST %s with bad input → 400 in Chinese', async (path, body) => {
    const res = await http<{ error: string }>(sim, 'POST', path, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/[\u4e00-\u9fa5]/);
  });

  test('unknown test API path → 404 in Chinese; unknown card → 404', async () => {
    expect((await http<{ error: string }>(sim, 'GET', '/__sim/nothing')).body.error).toContain('测试接口不存在');
    expect((await http(sim, 'GET', '/__sim/cards/none')).status).toBe(404);
  });
});

describe('directory', () => {
  test('users upsert keeps the unionId; templates and groups are listed', async () => {
    const before = (
      await http<{ users: Array<{ userId: string; unionId: string }> }>(sim, 'GET', '/__sim/users')
    ).body.users.find((u) => u.userId === 'u-zhang')!;
    await http(sim, 'POST', '/__sim/users', { users: [{ userId: 'u-zhang', name: '张伟（改名）' }] });
    const after = (
      await http<{ users: Array<{ userId: string; unionId: string; name: string }> }>(sim, 'GET', '/__sim/users')
    ).body.users.find((u) => u.userId === 'u-zhang')!;
    expect(after).toMatchObject({ name: '张伟（改名）', unionId: before.unionId });
    await http(sim, 'POST', '/__sim/users', { users: [{ userId: 'u-zhang', name: '张伟' }] });
    expect(
      (
        await http<{ templates: Array<{ templateId: string }> }>(sim, 'GET', '/__sim/card-templates')
      ).body.templates.map((t) => t.templateId),
    ).toContain(LAYOUT.templateId);
    expect((await http<{ groups: unknown[] }>(sim, 'GET', '/__sim/groups')).body.groups).toHaveLength(1);
  });
});

describe('messages, reset and events', () => {
  test('messages filter by user, api and since; reset clears traffic but keeps the tenant', async () => {
    await sendText('u-zhang', '一');
    await sendText('u-li', '二');
    const all = (await http<{ messages: Array<{ seq: number }> }>(sim, 'GET', '/__sim/messages')).body.messages;
    const since = all[0]!.seq;
    expect(
      (await http<{ messages: unknown[] }>(sim, 'GET', `/__sim/messages?since=${since}`)).body.messages,
    ).toHaveLength(all.length - 1);
    expect(
      (await http<{ messages: unknown[] }>(sim, 'GET', '/__sim/messages?userId=u-li&api=robot.batchSend')).body
        .messages,
    ).toHaveLength(1);
    await http(sim, 'PUT', '/__sim/faults', { latencyMs: 5 });
    await http(sim, 'PUT', '/__sim/quotas', { default: 1 });
    await http(sim, 'POST', '/__sim/reset');
    expect((await http<{ messages: unknown[] }>(sim, 'GET', '/__sim/messages')).body.messages).toHaveLength(0);
    expect((await http(sim, 'GET', '/__sim/faults')).body).toEqual({ global: {}, perApi: {} });
    expect((await http(sim, 'GET', '/__sim/quotas')).body).toMatchObject({ default: 20 });
    expect((await http<{ totals: { calls: number } }>(sim, 'GET', '/__sim/stats')).body.totals.calls).toBe(0);
    expect((await http<{ users: unknown[] }>(sim, 'GET', '/__sim/users')).body.users.length).toBeGreaterThan(0);
  });

  test('stats give the last sequence number, which a reset does not restart', async () => {
    await sendText('u-zhang', '重置前');
    const stats = async () => (await http<{ seq: number; messages: number }>(sim, 'GET', '/__sim/stats')).body;
    await http(sim, 'POST', '/__sim/reset');
    const { seq } = await stats();
    expect(seq).toBeGreaterThan(0);
    await sendText('u-li', '重置后');
    expect(await stats()).toEqual(expect.objectContaining({ seq: seq + 1, messages: 1 }));
    const { apis } = (
      await http<{ apis: Record<string, { recipients: number }> }>(sim, 'GET', `/__sim/reach?since=${seq}`)
    ).body;
    expect(Object.values(apis).map((a) => a.recipients)).toEqual([1]);
  });

  test('GET /__sim/events streams changes as Server-Sent Events', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${sim.url}/__sim/events`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await sendText('u-zhang', '推送');
    let text = '';
    while (!text.includes('"kind":"message"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('data: {"kind":"message"');
    ctrl.abort();
  });
});
