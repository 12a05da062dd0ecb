// oapi family (reference §5, §8): work notices with silent drops, 免登 auth codes, user look-ups.
import type { Simulator } from '../../../simulator';
import { APP, http, startTestSim } from './sim-helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});

type Body = Record<string, unknown> & { errcode: number };
let cached: string | undefined;
/** Cached token (fetching per call would hit the gettoken quota), dropped when the clock jumps. */
async function token(): Promise<string> {
  cached ??= (
    await http<{ access_token: string }>(sim, 'GET', `/gettoken?appkey=${APP.appKey}&appsecret=${APP.appSecret}`)
  ).body.access_token;
  return cached;
}
async function advanceClock(ms: number): Promise<void> {
  await http(sim, 'POST', '/__sim/clock', { advanceMs: ms });
  cached = undefined;
}
const oapi = async (path: string, body: unknown) =>
  http<Body>(sim, 'POST', `${path}?access_token=${await token()}`, body);
const notice = (userids: string, content: string) =>
  oapi('/topapi/message/corpconversation/asyncsend_v2', {
    agent_id: APP.agentId,
    userid_list: userids,
    msg: { msgtype: 'text', text: { content } },
  });

describe('work notices', () => {
  test('asyncsend_v2 returns a task_id; getsendresult lists invalid, read, unread', async () => {
    const sent = await notice('u-zhang,u-li,ghost', '今日雷电预警：请注意防范');
    expect(sent.body).toMatchObject({ errcode: 0, errmsg: 'ok', task_id: expect.any(Number) });
    await http(sim, 'POST', '/__sim/read', { userId: 'u-zhang' });
    const result = await oapi('/topapi/message/corpconversation/getsendresult', {
      agent_id: APP.agentId,
      task_id: sent.body['task_id'],
    });
    expect(result.body).toMatchObject({
      errcode: 0,
      send_result: {
        invalid_user_id_list: ['ghost'],
        read_user_id_list: ['u-zhang'],
        unread_user_id_list: ['u-li'],
        forbidden_list: [],
      },
    });
  });

  test('the same content to a user twice a day is dropped silently (forbidden_list 143106)', async () => {
    await notice('u-wang', '重复内容');
    const again = await notice('u-wang', '重复内容');
    expect(again.body.errcode).toBe(0);
    const result = await oapi('/topapi/message/corpconversation/getsendresult', {
      agent_id: APP.agentId,
      task_id: again.body['task_id'],
    });
    expect(result.body['send_result']).toMatchObject({
      forbidden_list: [{ code: '143106', count: 1, userid: 'u-wang' }],
      unread_user_id_list: [],
    });
    const msgs = await http<{ messages: unknown[] }>(sim, 'GET', '/__sim/messages?userId=u-wang&api=workNotice.send');
    expect(msgs.body.messages).toHaveLength(1);
    await advanceClock(24 * 3600_000);
    const nextDay = await notice('u-wang', '重复内容');
    const r2 = await oapi('/topapi/message/corpconversation/getsendresult', {
      agent_id: APP.agentId,
      task_id: nextDay.body['task_id'],
    });
    expect(r2.body['send_result']).toMatchObject({ unread_user_id_list: ['u-wang'] });
  });

  test('a person past the daily cap gets nothing more that day (143105); both filters are settings', async () => {
    const forbidden = async (taskId: unknown) =>
      (
        (await oapi('/topapi/message/corpconversation/getsendresult', { agent_id: APP.agentId, task_id: taskId })).body[
          'send_result'
        ] as { forbidden_list: Array<{ code: string; userid: string }> }
      ).forbidden_list;
    await http(sim, 'PUT', '/__sim/settings', { workNoticesPerUserPerDay: 2 });
    expect(await forbidden((await notice('u-li', '上限 1')).body['task_id'])).toEqual([]);
    expect(await forbidden((await notice('u-li', '上限 2')).body['task_id'])).toEqual([]);
    const third = await notice('u-li,u-zhang', '上限 3');
    expect(third.body.errcode).toBe(0);
    expect(await forbidden(third.body['task_id'])).toEqual([{ code: '143105', count: 1, userid: 'u-li' }]);
    // Without the cap and the same-content filter, DingTalk (so configured) delivers both.
    await http(sim, 'PUT', '/__sim/settings', { workNoticesPerUserPerDay: null, workNoticeSameContentDaily: false });
    expect(await forbidden((await notice('u-li', '上限 3')).body['task_id'])).toEqual([]);
    expect(await forbidden((await notice('u-li', '上限 3')).body['task_id'])).toEqual([]);
    await http(sim, 'PUT', '/__sim/settings', { workNoticesPerUserPerDay: 500, workNoticeSameContentDaily: true });
  });

  test('form-encoded body with the token in the form; msg as a JSON string', async () => {
    const form = new URLSearchParams({
      access_token: await token(),
      agent_id: String(APP.agentId),
      userid_list: 'u-li',
      msg: JSON.stringify({ msgtype: 'markdown', markdown: { title: '周报', text: '### 排名\n1. 甲单位' } }),
    });
    const res = await fetch(`${sim.url}/topapi/message/corpconversation/asyncsend_v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(await res.json()).toMatchObject({ errcode: 0, task_id: expect.any(Number) });
  });

  test.each([
    [
      'userid_list as an array',
      { agent_id: APP.agentId, userid_list: ['u-li'], msg: { msgtype: 'text', text: { content: 'x' } } },
      40035,
    ],
    [
      'over 100 users',
      {
        agent_id: APP.agentId,
        userid_list: Array.from({ length: 101 }, (_, i) => `u${i}`).join(','),
        msg: { msgtype: 'text', text: { content: 'x' } },
      },
      40035,
    ],
    [
      'msg over 2048 B',
      { agent_id: APP.agentId, userid_list: 'u-li', msg: { msgtype: 'text', text: { content: '雷'.repeat(700) } } },
      40035,
    ],
    ['unknown msgtype', { agent_id: APP.agentId, userid_list: 'u-li', msg: { msgtype: 'card', card: {} } }, 40035],
    ['wrong agent_id', { agent_id: 1, userid_list: 'u-li', msg: { msgtype: 'text', text: { content: 'x' } } }, 40056],
  ])('%s → its errcode', async (_label, body, errcode) => {
    const res = await oapi('/topapi/message/corpconversation/asyncsend_v2', body);
    expect(res.status).toBe(200);
    expect(res.body.errcode).toBe(errcode);
  });
});

describe('免登 and users', () => {
  test('auth codes are single use and live 5 minutes', async () => {
    const { code } = (await http<{ code: string }>(sim, 'POST', '/__sim/authcodes', { userId: 'u-li' })).body;
    const first = await oapi('/topapi/v2/user/getuserinfo', { code });
    expect(first.body).toMatchObject({
      errcode: 0,
      result: { userid: 'u-li', name: '李娜', unionid: expect.any(String) },
    });
    expect((await oapi('/topapi/v2/user/getuserinfo', { code })).body.errcode).toBe(40078);
    const late = (await http<{ code: string }>(sim, 'POST', '/__sim/authcodes', { userId: 'u-li' })).body.code;
    await advanceClock(5 * 60_000 + 1);
    expect((await oapi('/topapi/v2/user/getuserinfo', { code: late })).body.errcode).toBe(40078);
  });

  test('user/get, getbymobile, getbyunionid', async () => {
    const user = await oapi('/topapi/v2/user/get', { userid: 'u-zhang', language: 'zh_CN' });
    expect(user.body).toMatchObject({
      errcode: 0,
      result: { userid: 'u-zhang', name: '张伟', mobile: '13800000001', title: '安全员', dept_id_list: [10] },
    });
    const unionid = (user.body['result'] as { unionid: string }).unionid;
    expect((await oapi('/topapi/v2/user/getbymobile', { mobile: '13800000002' })).body).toMatchObject({
      errcode: 0,
      result: { userid: 'u-li' },
    });
    expect((await oapi('/topapi/user/getbyunionid', { unionid })).body).toMatchObject({
      errcode: 0,
      result: { userid: 'u-zhang', contact_type: 0 },
    });
    expect((await oapi('/topapi/v2/user/get', { userid: 'nobody' })).body.errcode).toBe(33012);
    expect((await oapi('/topapi/v2/user/get', { userid: 'u-other' })).body.errcode).toBe(33012); // other corp
    expect((await oapi('/topapi/v2/user/getbymobile', { mobile: '13900000000' })).body.errcode).toBe(60121);
  });
});
