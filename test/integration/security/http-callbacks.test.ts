// HTTP callback mode (issue #10 part 2): no stream socket; the simulator POSTs signed, AES-encrypted
// events and signed robot messages. A good event is answered with the encrypted "success" and
// handled by the stream's handler (user_leave_org deactivates the person, audited); a wrong
// signature, a stale timestamp or a replayed nonce is refused and changes nothing.
import request from 'supertest';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { tableDigests } from '../../helpers/table-digests';

const TOKEN = 'callback-token-for-tests';
const AES_KEY = 'Q2FsbGJhY2tBZXNLZXlGb3JMZWlHdWFyZFRlc3RzMDE'; // 43 characters

let t: TestRuntime;
let w: World;
let url: string;

interface SignedRequest {
  query: Record<string, string>;
  body: { encrypt: string };
}

async function simEvent(body: Record<string, unknown>) {
  return t.sim.call<{
    eventId: string;
    http?: { status: number; success: boolean; body: unknown };
    request?: SignedRequest;
  }>('POST', '/__sim/stream/event', body);
}

function send(r: SignedRequest, query: Record<string, string> = r.query) {
  return request(url)
    .post(`/dingtalk/events?${new URLSearchParams(query).toString()}`)
    .send(r.body);
}

async function state() {
  const p = t.db.prisma;
  const persons = await p.person.findMany({
    where: { id: { in: [w.managerId, w.legalRepId, w.regulatorId] } },
    select: { id: true, active: true },
  });
  return { active: Object.fromEntries(persons.map((x) => [x.id, x.active])), audits: await p.auditEvent.count() };
}

beforeAll(async () => {
  t = await startTestRuntime({
    env: { DINGTALK_INBOUND_MODE: 'http', DINGTALK_CALLBACK_TOKEN: TOKEN, DINGTALK_CALLBACK_AES_KEY: AES_KEY },
  });
  url = t.runtime.httpUrl!;
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  await t.sim.call('PUT', `/__sim/apps/${t.sim.app.appKey}/callback`, {
    mode: 'http',
    eventUrl: `${url}/dingtalk/events`,
    robotUrl: `${url}/dingtalk/robot`,
    token: TOKEN,
    aesKey: AES_KEY,
  });
});
afterAll(async () => {
  await t?.close();
});

test('no stream socket is opened; check_url is answered with the encrypted, signed "success"', async () => {
  expect(t.runtime.stream!.status().connected).toBe(false);
  const res = await simEvent({ eventType: 'check_url' });
  expect(res.http).toMatchObject({ status: 200, success: true });
});

test('a signed user_leave_org event deactivates the person through the stream handler, with an audit event', async () => {
  const before = await state();
  const res = await simEvent({ eventType: 'user_leave_org', data: { UserId: [w.users[1]!.userId] } });
  expect(res.http).toMatchObject({ status: 200, success: true });
  await waitFor(async () => (await state()).active[w.managerId] === false);
  const audit = await t.db.prisma.auditEvent.findFirst({
    where: { action: 'person.deactivated', subjectId: w.managerId },
  });
  expect(audit).toMatchObject({ actorKind: 'DINGTALK', data: { reason: 'user_leave_org', eventId: res.eventId } });
  expect((await state()).audits).toBe(before.audits + 1);
});

test('a wrong signature, a stale timestamp and a replayed nonce are refused and change nothing', async () => {
  const leave = { eventType: 'user_leave_org', data: { UserId: [w.users[2]!.userId] }, dryRun: true };
  const before = await tableDigests(t.db.prisma);

  const good = (await simEvent(leave)).request!;
  const sig = good.query.signature!;
  const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
  const bad = await send(good, { ...good.query, signature: flipped }).expect(401);
  expect(bad.body.error).toEqual({ code: 'CALLBACK_SIGNATURE_INVALID', message: '回调签名无效，已拒绝' });
  // Ciphertext swapped under a valid signature of another body: also a signature mismatch.
  const other = (await simEvent({ ...leave, data: { UserId: [w.users[0]!.userId] } })).request!;
  await send({ query: good.query, body: other.body }).expect(401);
  const unsigned = await request(url).post('/dingtalk/events').send(good.body).expect(401);
  expect(unsigned.body.error.code).toBe('CALLBACK_UNSIGNED');

  const stale = (await simEvent({ ...leave, ageMs: 2 * 3600_000 })).request!;
  const old = await send(stale).expect(401);
  expect(old.body.error).toEqual({ code: 'CALLBACK_EXPIRED', message: '回调时间戳无效或已过期，已拒绝' });
  // Every table's contents, not only the person: nothing was written.
  expect(await tableDigests(t.db.prisma)).toEqual(before);

  // The good one is handled once; the same request again is a replay.
  const ok = await send(good).expect(200);
  expect(Object.keys(ok.body).sort()).toEqual(['encrypt', 'msg_signature', 'nonce', 'timeStamp']);
  await waitFor(async () => (await state()).active[w.legalRepId] === false);
  await t.db.prisma.person.update({ where: { id: w.legalRepId }, data: { active: true } });
  const afterFirst = await tableDigests(t.db.prisma);
  const replay = await send(good).expect(401);
  expect(replay.body.error).toEqual({ code: 'CALLBACK_REPLAYED', message: '回调已处理过（重放），已拒绝' });
  expect(await tableDigests(t.db.prisma)).toEqual(afterFirst);
});

test("robot messages over HTTP need DingTalk's timestamp/sign; a bad sign is refused", async () => {
  const said = await t.sim.call<{ http?: { status: number } }>('POST', '/__sim/chat', {
    userId: w.users[0]!.userId,
    text: '帮助',
  });
  expect(said.http?.status).toBe(200);
  const ts = String(Date.now());
  const res = await request(url)
    .post('/dingtalk/robot')
    .set({ timestamp: ts, sign: 'AAAA' })
    .send({ msgId: 'm1', text: { content: '帮助' } })
    .expect(401);
  expect(res.body.error.code).toBe('CALLBACK_SIGNATURE_INVALID');
  await request(url).post('/dingtalk/robot').send({ msgId: 'm1' }).expect(401);
});
