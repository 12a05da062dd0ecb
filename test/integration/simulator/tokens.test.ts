// Access tokens (reference §1): issue, reuse, expiry by the injectable clock, invalidation,
// both families, both error dialects — through the official SDK where the product uses it.
import { BatchSendOTOHeaders, BatchSendOTORequest } from '@alicloud/dingtalk/dist/robot_1_0/client';
import { GetAccessTokenRequest } from '@alicloud/dingtalk/dist/oauth2_1_0/client';
import type { Simulator } from '../../../simulator';
import { APP, APP2, apiToken, http, sdk, sdkFails, startTestSim, rt } from './sim-helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});

function sendAs(token: string) {
  return sdk(sim).robot.batchSendOTOWithOptions(
    new BatchSendOTORequest({
      robotCode: APP.robotCode,
      userIds: ['u-zhang'],
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: '测试' }),
    }),
    new BatchSendOTOHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
}

describe('token issue and reuse', () => {
  test('oauth2 and gettoken return the same token while it is valid', async () => {
    const t1 = await apiToken(sim);
    const t2 = await apiToken(sim);
    const old = await http<{ errcode: number; access_token: string; expires_in: number }>(
      sim,
      'GET',
      `/gettoken?appkey=${APP.appKey}&appsecret=${APP.appSecret}`,
    );
    expect(t1).toMatch(/^[0-9a-f]{32}$/);
    expect(t2).toBe(t1);
    expect(old.body).toMatchObject({ errcode: 0, errmsg: 'ok', access_token: t1, expires_in: 7200 });
    expect(await apiToken(sim, APP2)).not.toBe(t1);
  });

  test('re-fetching inside validity extends the token', async () => {
    const t1 = await apiToken(sim);
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 7000_000 });
    expect(await apiToken(sim)).toBe(t1); // extended to now + 7200 s
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 7000_000 });
    const res = await sendAs(t1);
    expect(res.statusCode).toBe(200);
  });

  test('bad credentials: api 400 invalidClientIdOrSecret, oapi errcode 40096', async () => {
    const err = await sdkFails(
      sdk(sim).oauth2.getAccessToken(new GetAccessTokenRequest({ appKey: APP.appKey, appSecret: 'wrong' })),
    );
    expect(err.code).toBe('invalidClientIdOrSecret');
    expect(err.data.statusCode).toBe(400);
    const old = await http(sim, 'GET', `/gettoken?appkey=${APP.appKey}&appsecret=wrong`);
    expect(old.body).toMatchObject({ errcode: 40096 });
  });
});

describe('token expiry and invalidation', () => {
  test('an expired token is rejected: api 400 InvalidAuthentication, oapi errcode 88 sub_code "40014"', async () => {
    const token = await apiToken(sim);
    expect((await sendAs(token)).statusCode).toBe(200);
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 7200_000 + 1000 });
    const err = await sdkFails(sendAs(token));
    expect(err.code).toBe('InvalidAuthentication');
    expect(err.data.statusCode).toBe(400);
    const oapi = await http(sim, 'POST', `/topapi/v2/user/get?access_token=${token}`, { userid: 'u-zhang' });
    expect(oapi.status).toBe(200);
    expect(oapi.body).toMatchObject({ errcode: 88, sub_code: '40014' });
    const fresh = await apiToken(sim);
    expect(fresh).not.toBe(token);
    expect((await sendAs(fresh)).statusCode).toBe(200);
  });

  test('invalidate on demand forces a new token', async () => {
    const token = await apiToken(sim);
    const inv = await http<{ invalidated: number }>(sim, 'POST', '/__sim/tokens/invalidate', { appKey: APP.appKey });
    expect(inv.body.invalidated).toBe(1);
    expect((await sdkFails(sendAs(token))).code).toBe('InvalidAuthentication');
    expect(await apiToken(sim)).not.toBe(token);
  });

  test('either token works on either family; api reads only the header', async () => {
    const old = await http<{ access_token: string }>(
      sim,
      'GET',
      `/gettoken?appkey=${APP.appKey}&appsecret=${APP.appSecret}`,
    );
    expect((await sendAs(old.body.access_token)).statusCode).toBe(200);
    const viaQuery = await http(
      sim,
      'POST',
      `/v1.0/robot/oToMessages/batchSend?access_token=${old.body.access_token}`,
      {},
    );
    expect(viaQuery.status).toBe(400);
    expect(viaQuery.body).toMatchObject({ code: 'AuthenticationFailed.MissingParameter' });
    const t = await apiToken(sim);
    const user = await http(sim, 'POST', `/topapi/v2/user/get?access_token=${t}`, { userid: 'u-zhang' });
    expect(user.body).toMatchObject({ errcode: 0, result: { userid: 'u-zhang', name: '张伟' } });
    const missing = await http(sim, 'POST', '/topapi/v2/user/get', { userid: 'u-zhang' });
    expect(missing.body).toMatchObject({ errcode: 88, sub_code: '40000' });
  });
});
