// Card callbacks in HTTP mode (issue #2 "Bad input"): unsigned, badly signed, stale, malformed and
// oversized callbacks are refused with a clear error and change nothing; a signed one works.
import request from 'supertest';
import { cardCallbackSignature } from '../../../bot/inbound/card-callback.route';
import { createWorld, type World } from '../../helpers/fixtures';
import { startTestRuntime, type TestRuntime } from '../../helpers/runtime';

const SECRET = 'card-callback-test-secret-0123';
let t: TestRuntime;
let world: World;
let hazardId: string;

beforeAll(async () => {
  t = await startTestRuntime({ env: { DINGTALK_CARD_CALLBACK_SECRET: SECRET } });
  world = await createWorld(t.db.prisma);
  const hazard = await t.db.prisma.hazard.create({
    data: {
      unitId: world.unitId,
      source: 'TEST',
      type: 'EARTH_R',
      grade: 'GENERAL',
      description: '接地电阻超标',
      foundAt: new Date(),
      deadline: new Date(Date.now() + 864e5),
    },
  });
  hazardId = hazard.id;
  await t.db.prisma.cardInstance.create({
    data: {
      outTrackId: 'lg-http-cb',
      kind: 'hazard-alert',
      subjectType: 'hazard',
      subjectId: hazardId,
      recipientPersonId: world.managerId,
      templateId: 't',
      data: {},
    },
  });
});
afterAll(async () => {
  await t?.close();
});

const body = () => ({
  type: 'actionCallback',
  outTrackId: 'lg-http-cb',
  userId: world.users[1].userId,
  content: JSON.stringify({ cardPrivateData: { actionIds: ['ack'], params: { hazardId } } }),
});

function post(headers: Record<string, string>, payload: unknown = body()) {
  const req = request(t.runtime.httpUrl!).post('/dingtalk/card-callback').set(headers);
  return typeof payload === 'string'
    ? req.set('content-type', 'application/json').send(payload)
    : req.send(payload as object);
}

const signed = (ts = String(Date.now()), secret = SECRET) => ({
  'x-ddpaas-signature-timestamp': ts,
  'x-ddpaas-signature': cardCallbackSignature(secret, ts),
});

async function unchanged(): Promise<void> {
  expect(await t.db.prisma.hazardAck.count({ where: { hazardId } })).toBe(0);
  expect(await t.db.prisma.auditEvent.count({ where: { subjectId: hazardId } })).toBe(0);
}

test.each([
  ['unsigned', () => ({}), 'CALLBACK_UNSIGNED', '缺少签名'],
  [
    'signed with another secret',
    () => signed(String(Date.now()), 'not-the-secret-at-all'),
    'CALLBACK_SIGNATURE_INVALID',
    '签名无效',
  ],
  ['stale timestamp (2 h old)', () => signed(String(Date.now() - 2 * 3600_000)), 'CALLBACK_EXPIRED', '已过期'],
  [
    'timestamp not a number',
    () => ({ ...signed(), 'x-ddpaas-signature-timestamp': 'yesterday' }),
    'CALLBACK_EXPIRED',
    '无效',
  ],
])('%s: 401 with a clear error, nothing changed', async (_name, headers, code, text) => {
  const res = await post(headers()).expect(401);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message).toContain(text);
  await unchanged();
});

test('malformed JSON and oversized bodies are refused, nothing changed', async () => {
  const bad = await post(signed(), '{"type":').expect(400);
  expect(bad.body.error.code).toBe('BODY_INVALID_JSON');
  const huge = await post(signed(), JSON.stringify({ ...body(), padding: 'x'.repeat(2 * 1024 * 1024) })).expect(413);
  expect(huge.body.error.code).toBe('BODY_TOO_LARGE');
  await unchanged();
});

test('a signed 已知悉 acknowledges the hazard and answers with the updated card', async () => {
  const res = await post(signed()).expect(200);
  expect(res.body.cardData.cardParamMap.statusText).toContain('已知悉');
  expect(await t.db.prisma.hazardAck.count({ where: { hazardId } })).toBe(1);
  const events = await t.db.prisma.auditEvent.findMany({ where: { subjectId: hazardId } });
  expect(events.map((e) => e.action)).toEqual(['hazard.acknowledged']);
});
