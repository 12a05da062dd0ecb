// App+API QPS quota (reference §10) and run-time fault injection, through the official SDK.
import { BatchSendOTOHeaders, BatchSendOTORequest } from '@alicloud/dingtalk/dist/robot_1_0/client';
import type { Simulator } from '../../../simulator';
import { APP, APP2, apiToken, http, sdk, sdkFails, startTestSim, rt } from './sim-helpers';

let sim: Simulator;
let token: string;
let token2: string;
beforeAll(async () => {
  sim = await startTestSim();
  token = await apiToken(sim);
  token2 = await apiToken(sim, APP2);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await http(sim, 'POST', '/__sim/reset'); // also empties the quota windows
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function send(tok = token, app = APP) {
  return sdk(sim).robot.batchSendOTOWithOptions(
    new BatchSendOTORequest({
      robotCode: app.robotCode,
      userIds: ['u-zhang'],
      msgKey: 'sampleText',
      msgParam: '{"content":"q"}',
    }),
    new BatchSendOTOHeaders({ xAcsDingtalkAccessToken: tok }),
    rt(),
  );
}

async function settle(
  calls: Array<Promise<unknown>>,
): Promise<{ ok: number; errors: Array<{ code: string; data: { statusCode: number } }> }> {
  const r = await Promise.allSettled(calls);
  return {
    ok: r.filter((x) => x.status === 'fulfilled').length,
    errors: r
      .filter((x): x is PromiseRejectedResult => x.status === 'rejected')
      .map((x) => x.reason as { code: string; data: { statusCode: number } }),
  };
}

async function stats(): Promise<{
  apis: Record<string, { calls: number; quotaErrors: number; injectedQuotaErrors: number; injected5xx: number }>;
}> {
  return (await http(sim, 'GET', '/__sim/stats')).body as never;
}

describe('quota', () => {
  test('calls over the per-app limit get 403 QpsLimitForAppkeyAndApi; the other app is unaffected', async () => {
    await http(sim, 'PUT', '/__sim/quotas', { api: 'robot.batchSend', qps: 5 });
    const r = await settle(Array.from({ length: 8 }, () => send()));
    expect(r.ok).toBe(5);
    expect(r.errors).toHaveLength(3);
    expect(r.errors[0]).toMatchObject({
      code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
      data: { statusCode: 403 },
    });
    expect((await settle(Array.from({ length: 5 }, () => send(token2, APP2)))).ok).toBe(5);
    const s = await stats();
    expect(s.apis['robot.batchSend']).toMatchObject({ calls: 13, quotaErrors: 3 });
    await sleep(1050);
    expect((await settle([send()])).ok).toBe(1); // the window slid on
  });

  test('no quota errors at 90% of the quota, paced evenly', async () => {
    await http(sim, 'PUT', '/__sim/quotas', { api: 'robot.batchSend', qps: 10 });
    const start = Date.now();
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < 27; i++) {
      const due = start + i * (1000 / 9);
      await sleep(Math.max(0, due - Date.now()));
      calls.push(send());
    }
    const r = await settle(calls);
    expect(r.errors).toEqual([]);
    expect((await stats()).apis['robot.batchSend']!.quotaErrors).toBe(0);
  });

  test('oapi answers over-quota calls with errcode 90018; default quota settable', async () => {
    await http(sim, 'PUT', '/__sim/quotas', { default: 2 });
    const calls = Array.from({ length: 3 }, () =>
      http(sim, 'POST', `/topapi/v2/user/get?access_token=${token}`, { userid: 'u-zhang' }),
    );
    const codes = (await Promise.all(calls)).map((r) => (r.body as { errcode: number }).errcode).sort();
    expect(codes).toEqual([0, 0, 90018]);
    const bad = await http(sim, 'PUT', '/__sim/quotas', { api: 'no.such.api', qps: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toContain('请求参数不合法');
  });
});

describe('fault injection', () => {
  test('5xx per API: the SDK sees 500 system.busy; other APIs keep working', async () => {
    await http(sim, 'PUT', '/__sim/faults', { api: 'robot.batchSend', error5xxRate: 1 });
    const err = await sdkFails(send());
    expect(err.code).toBe('system.busy');
    expect(err.data.statusCode).toBe(500);
    const other = await http(sim, 'POST', `/topapi/v2/user/get?access_token=${token}`, { userid: 'u-zhang' });
    expect(other.body).toMatchObject({ errcode: 0 });
    expect((await stats()).apis['robot.batchSend']).toMatchObject({ injected5xx: 1 });
  });

  test('global faults: busy on oapi is errcode -1; injected quota errors are counted apart', async () => {
    await http(sim, 'PUT', '/__sim/faults', { error5xxRate: 1 });
    const oapi = await http(sim, 'POST', `/topapi/v2/user/get?access_token=${token}`, { userid: 'u-zhang' });
    expect(oapi.status).toBe(200);
    expect(oapi.body).toMatchObject({ errcode: -1 });
    await http(sim, 'PUT', '/__sim/faults', { error5xxRate: 0, quotaErrorRate: 1 });
    expect((await sdkFails(send())).code).toBe('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
    const s = (await stats()).apis['robot.batchSend']!;
    expect(s).toMatchObject({ injectedQuotaErrors: 1, quotaErrors: 0 });
    await http(sim, 'DELETE', '/__sim/faults');
    expect((await send()).statusCode).toBe(200);
  });

  test('added latency', async () => {
    await http(sim, 'PUT', '/__sim/faults', { api: 'robot.batchSend', latencyMs: 300 });
    const t0 = Date.now();
    await send();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });
});
