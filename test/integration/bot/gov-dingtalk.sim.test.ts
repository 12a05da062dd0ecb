// Government DingTalk (issue #10 part 1): the signed gateway client against the simulator's
// government mode, which recomputes the HMAC signature exactly and refuses bad ones; and the
// GOV_WORK_NOTICE channel end to end through the notify pipeline.
import { GovDingTalkClient, GovDingTalkError, type GovClientOptions } from '../../../bot/clients/gov/gov-client';
import { signedHeaders, stringToSign } from '../../../bot/clients/gov/gov-signing';
import { createPerson } from '../../factories';
import { writeDeliveries, statusCounts } from '../../helpers/deliveries';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { startTestSimulator, type TestSimulator } from '../../helpers/simulator';

const GOV = { appKey: 'gov-leiguard-app', appSecret: 'gov-secret-0123456789', tenantId: '196729' };
const MSG = { msgtype: 'text', text: { content: '雷电橙色预警：请做好防雷准备。' } };

let sim: TestSimulator;

function client(over: Partial<GovClientOptions> = {}): GovDingTalkClient {
  return new GovDingTalkClient({
    baseUrl: sim.url,
    appKey: GOV.appKey,
    appSecret: GOV.appSecret,
    tenantId: GOV.tenantId,
    version: '1.0',
    tokenPath: '/gettoken.json',
    workNotificationPath: '/message/workNotification',
    tokenParam: 'access_token',
    ...over,
  });
}

function govMessages(): Array<{ to: { userId?: string }; content: unknown }> {
  return sim.sim.state.messages.filter((m) => m.api === 'gov.workNotification') as Array<{
    to: { userId?: string };
    content: unknown;
  }>;
}

async function rawCall(
  headers: Record<string, string>,
  params: Record<string, string>,
): Promise<{ success: boolean; errorCode?: string }> {
  const res = await fetch(`${sim.url}/message/workNotification`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return (await res.json()) as { success: boolean; errorCode?: string };
}

beforeAll(async () => {
  sim = await startTestSimulator({ simulator: { govApps: [GOV] } });
});
afterAll(async () => {
  await sim?.close();
});

test('the string to sign: method, timestamp, nonce, path and the parameters sorted by key', () => {
  expect(
    stringToSign({
      method: 'post',
      uri: '/message/workNotification',
      params: { tenantId: '1', bizMsgId: 'b', msg: '{}' },
      timestamp: 'T',
      nonce: 'N',
    }),
  ).toBe('POST\nT\nN\n/message/workNotification\nbizMsgId=b&msg={}&tenantId=1');
  expect(stringToSign({ method: 'GET', uri: '/x', params: {}, timestamp: 'T', nonce: 'N' })).toBe('GET\nT\nN\n/x');
});

test('a correctly signed token and work notification are accepted by the strict check', async () => {
  const before = govMessages().length;
  await client().workNotification({ receiverIds: ['10001', '10002'], msg: MSG, bizMsgId: 'biz-1' });
  const sent = govMessages().slice(before);
  expect(sent.map((m) => m.to.userId)).toEqual(['10001', '10002']);
  expect(sent[0]!.content).toEqual(MSG);
});

test('a wrong secret is refused as the gateway does, permanently, and nothing is delivered', async () => {
  const before = govMessages().length;
  const err = await client({ appSecret: 'not-the-secret', tokenParam: '' })
    .workNotification({ receiverIds: ['10001'], msg: MSG, bizMsgId: 'biz-2' })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GovDingTalkError);
  expect(err).toMatchObject({ govCode: 'InvalidSignature', retryable: false, code: 'GOV_DINGTALK_FAILED' });
  expect(govMessages().length).toBe(before);
});

test('a parameter changed after signing, a replayed nonce and a stale timestamp are refused', async () => {
  const sign = { appKey: GOV.appKey, appSecret: GOV.appSecret, version: '1.0' };
  const params = { tenantId: GOV.tenantId, receiverIds: '10003', bizMsgId: 'biz-3', msg: JSON.stringify(MSG) };
  const req = { method: 'POST', uri: '/message/workNotification', params };
  const before = govMessages().length;

  const h = signedHeaders(sign, req);
  expect(await rawCall(h, { ...params, receiverIds: '10003,10004' })).toMatchObject({
    success: false,
    errorCode: 'InvalidSignature',
  });
  expect(await rawCall(h, params)).toMatchObject({ success: true });
  expect(await rawCall(h, params)).toMatchObject({ success: false, errorCode: 'InvalidNonce' });
  const old = signedHeaders(sign, req, new Date(Date.now() - 3600_000));
  expect(await rawCall(old, params)).toMatchObject({ success: false, errorCode: 'InvalidTimestamp' });
  expect(await rawCall({ ...signedHeaders(sign, req), 'X-Hmac-Auth-Version': '2.0' }, params)).toMatchObject({
    success: false,
  });
  expect(govMessages().length).toBe(before + 1);
});

test('a token the gateway no longer accepts is fetched again, once, and the notice goes out', async () => {
  const c = client();
  await c.workNotification({ receiverIds: ['10005'], msg: MSG, bizMsgId: 'biz-5' });
  await fetch(`${sim.url}/__sim/gov/tokens/invalidate`, { method: 'POST' });
  const before = govMessages().length;
  await c.workNotification({ receiverIds: ['10006'], msg: MSG, bizMsgId: 'biz-6' });
  expect(
    govMessages()
      .slice(before)
      .map((m) => m.to.userId),
  ).toEqual(['10006']);
  // Other refusals are not retried: a wrong tenant fails at once.
  const err = await client({ tenantId: 'other-tenant' })
    .workNotification({ receiverIds: ['10007'], msg: MSG, bizMsgId: 'biz-7' })
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ govCode: 'InvalidTenant', retryable: false });
});

describe('GOV_WORK_NOTICE through the notify pipeline', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime({
      simulatorUrl: sim.url,
      env: {
        GOV_DINGTALK_BASE_URL: sim.url,
        GOV_DINGTALK_APP_KEY: GOV.appKey,
        GOV_DINGTALK_APP_SECRET: GOV.appSecret,
        GOV_DINGTALK_TENANT_ID: GOV.tenantId,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  test('a delivery to a person reaches their gov accountId', async () => {
    const person = await createPerson(t.db.prisma, { govAccountId: '20001' });
    const before = govMessages().length;
    const ids = await writeDeliveries(t.db.prisma, [
      {
        purpose: 'test.gov',
        channel: 'GOV_WORK_NOTICE',
        template: 'generic-text',
        data: { title: '测试通知', paragraphs: ['政务钉钉工作通知。'], sender: '雷卫' },
        recipientPersonId: person.id,
      },
    ]);
    await t.runtime.dispatch(ids);
    await waitFor(async () => (await statusCounts(t.db.prisma, ids)).SENT === 1);
    const sent = govMessages().slice(before);
    expect(sent.map((m) => m.to.userId)).toEqual(['20001']);
    expect(JSON.stringify(sent[0]!.content)).toContain('政务钉钉工作通知');
  });
});
