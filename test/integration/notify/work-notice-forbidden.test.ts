// Issue #19 item 5: DingTalk takes a work notice with the same content to the same person on the
// same day and drops it silently (getsendresult forbidden_list 143106). LeiGuard records such a
// delivery as FAILED with DingTalk's code and the reason (the admin API shows it), and sends a
// statutory one again through the robot 1:1 chat; a non-statutory one is only recorded. Repeated
// interview reminders differ by the time left, so they are not dropped in the first place.
import request from 'supertest';
import { timeLeft } from '../../../workflows/interview/timers';
import { statusCounts, textTo, writeDeliveries } from '../../helpers/deliveries';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
const auth = { user: 'admin', password: 'forbidden-test-pw' };

beforeAll(async () => {
  t = await startTestRuntime({ env: { ADMIN_PASSWORD: auth.password } });
});
afterAll(async () => {
  await t?.close();
});

test('a work notice DingTalk dropped as a same-day duplicate: failed with its reason, statutory ones resent by robot', async () => {
  const { prisma } = t.db;
  await t.sim.call('POST', '/__sim/users', {
    users: [
      { userId: 'wf_u1', name: '甲' },
      { userId: 'wf_u2', name: '乙' },
    ],
  });
  const notice = (userId: string, purpose: string, statutory: boolean) => ({
    ...textTo(userId, 'wf'),
    purpose,
    channel: 'WORK_NOTICE' as const,
    statutory,
    subjectType: 'test',
    subjectId: purpose,
  });
  // The same content twice to each person on one day: DingTalk delivers the first only.
  const first = await writeDeliveries(prisma, [
    notice('wf_u1', 'test.wf.a', true),
    notice('wf_u2', 'test.wf.a', false),
  ]);
  await t.runtime.dispatch(first);
  await waitFor(async () => ((await statusCounts(prisma, first)).SENT === 2 ? true : undefined), 20_000, 'first sent');
  const second = await writeDeliveries(prisma, [
    notice('wf_u1', 'test.wf.b', true),
    notice('wf_u2', 'test.wf.b', false),
  ]);
  await t.runtime.dispatch(second);
  await waitFor(
    async () => ((await statusCounts(prisma, second)).SENT === 2 ? true : undefined),
    20_000,
    'second sent',
  );

  await t.runtime.queues.enqueue('notify.read-status', {});
  const failed = await waitFor(
    async () => {
      const rows = await prisma.delivery.findMany({ where: { id: { in: second }, status: 'FAILED' } });
      return rows.length === 2 ? rows : undefined;
    },
    20_000,
    'dropped notices failed',
  );
  for (const r of failed) {
    expect(r.errorCode).toBe('WORK_NOTICE_FORBIDDEN');
    expect(r.dingCode).toBe('143106');
    expect(r.errorMessage).toContain('今天已给此人发过内容相同的工作通知（143106）');
  }
  expect(failed.find((r) => r.recipientAddress === 'wf_u1')!.errorMessage).toContain('已改由机器人单聊重发');
  // The first ones were delivered and stay SENT.
  expect((await statusCounts(prisma, first)).SENT).toBe(2);

  // The statutory one goes again through the robot 1:1 chat, and arrives; the other does not.
  const resent = await waitFor(
    () => prisma.delivery.findFirst({ where: { purpose: 'test.wf.b', channel: 'ROBOT_OTO', status: 'SENT' } }),
    20_000,
    'statutory notice resent',
  );
  expect(resent.recipientAddress).toBe('wf_u1');
  expect(await prisma.delivery.count({ where: { purpose: 'test.wf.b', channel: 'ROBOT_OTO' } })).toBe(1);
  const chat = await t.sim.call<{ messages: Array<{ api: string }> }>('GET', '/__sim/messages?userId=wf_u1');
  expect(chat.messages.map((m) => m.api)).toEqual(['workNotice.send', 'robot.batchSend']);

  // The admin API shows the failure with DingTalk's code and the reason.
  const res = await request(t.runtime.httpUrl!)
    .get('/admin/api/deliveries?purpose=test.wf.b')
    .auth(auth.user, auth.password)
    .expect(200);
  expect(res.body.summary).toMatchObject({ FAILED: 2, SENT: 1 });
  const shown = (res.body.items as Array<Record<string, unknown>>).filter((i) => i.status === 'FAILED');
  expect(shown.map((i) => i.dingCode)).toEqual(['143106', '143106']);
  expect(shown.every((i) => String(i.errorMessage).includes('143106'))).toBe(true);
});

test('a work notice past the per-person daily cap: failed with 143105 and its reason', async () => {
  const { prisma } = t.db;
  await t.sim.call('POST', '/__sim/users', { users: [{ userId: 'wf_u3', name: '丙' }] });
  // DingTalk's cap is 500 a day (other pages say 100 or 50): this tenant takes one.
  await t.sim.call('PUT', '/__sim/settings', { workNoticesPerUserPerDay: 1 });
  const notice = (purpose: string) => ({
    ...textTo('wf_u3', purpose),
    purpose,
    channel: 'WORK_NOTICE' as const,
    subjectType: 'test',
    subjectId: purpose,
  });
  const ids = await writeDeliveries(prisma, [notice('test.cap.a')]);
  await t.runtime.dispatch(ids);
  await waitFor(async () => ((await statusCounts(prisma, ids)).SENT === 1 ? true : undefined), 20_000, 'first sent');
  const over = await writeDeliveries(prisma, [notice('test.cap.b')]);
  await t.runtime.dispatch(over);
  await waitFor(async () => ((await statusCounts(prisma, over)).SENT === 1 ? true : undefined), 20_000, 'taken');
  await t.runtime.queues.enqueue('notify.read-status', {});
  const failed = await waitFor(
    () => prisma.delivery.findFirst({ where: { id: over[0]!, status: 'FAILED' } }),
    20_000,
    'capped notice failed',
  );
  expect(failed).toMatchObject({ errorCode: 'WORK_NOTICE_FORBIDDEN', dingCode: '143105' });
  expect(failed.errorMessage).toBe('钉钉未投递：今天发给此人的工作通知已达上限（143105）');
  // Not statutory: recorded, not sent again by another channel.
  expect(await prisma.delivery.count({ where: { purpose: 'test.cap.b', channel: 'ROBOT_OTO' } })).toBe(0);
  expect((await statusCounts(prisma, ids)).SENT).toBe(1);
  await t.sim.call('PUT', '/__sim/settings', { workNoticesPerUserPerDay: 500 });
});

test('repeated reminders say how long is left, so their content differs', () => {
  const at = new Date('2026-12-07T09:00:00+08:00');
  expect(timeLeft(new Date('2026-12-06T09:00:00+08:00'), at)).toBe('还有 1 天');
  expect(timeLeft(new Date('2026-12-07T07:00:00+08:00'), at)).toBe('还有 2 小时');
  expect(timeLeft(new Date('2026-12-07T08:35:00+08:00'), at)).toBe('还有 25 分钟');
  expect(timeLeft(new Date('2026-12-05T06:30:00+08:00'), at)).toBe('还有 2 天 2 小时');
});
