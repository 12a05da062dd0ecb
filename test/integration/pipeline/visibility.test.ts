// Issue #3 part 7: delivery state per notice in the admin API, per-channel counters and latency
// in /metrics.
import request from 'supertest';
import { receivedPerUser, textTo, writeDeliveries, statusCounts } from '../../helpers/deliveries';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
const auth = { user: 'admin', password: 'visibility-test-pw' };

beforeAll(async () => {
  t = await startTestRuntime({ env: { ADMIN_PASSWORD: auth.password } });
});
afterAll(async () => {
  await t?.close();
});

test('admin API shows sent and failed deliveries of a notice with DingTalk reasons; metrics count them', async () => {
  await t.sim.call('POST', '/__sim/users', {
    users: [
      { userId: 'vis_u1', name: '甲' },
      { userId: 'vis_u2', name: '乙' },
    ],
  });
  const ids = await writeDeliveries(
    t.db.prisma,
    ['vis_u1', 'vis_u2', 'vis_ghost'].map((u) => textTo(u, 'visibility')),
  );
  await t.runtime.dispatch(ids);
  await waitFor(
    async () => {
      const c = await statusCounts(t.db.prisma, ids);
      return (c.SENT ?? 0) + (c.FAILED ?? 0) === 3 ? true : undefined;
    },
    20_000,
    'settled',
  );
  expect(receivedPerUser(t.sim.sim).get('vis_u1')).toBe(1);

  const url = t.runtime.httpUrl!;
  await request(url).get('/admin/api/deliveries?purpose=test.visibility').expect(401);
  const bad = await request(url).get('/admin/api/deliveries').auth(auth.user, auth.password).expect(400);
  expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  expect(bad.body.error.message).toContain('请指定通知用途');

  const res = await request(url)
    .get('/admin/api/deliveries?purpose=test.visibility')
    .auth(auth.user, auth.password)
    .expect(200);
  expect(res.body.summary).toMatchObject({ SENT: 2, FAILED: 1 });
  const failed = res.body.items.find((d: { status: string }) => d.status === 'FAILED');
  expect(failed).toMatchObject({ recipientAddress: 'vis_ghost', errorCode: 'invalidStaffId' });

  const metrics = await request(url).get('/metrics').expect(200);
  expect(metrics.text).toMatch(/leiguard_deliveries_total\{channel="ROBOT_OTO",status="sent"\} [1-9]/);
  expect(metrics.text).toMatch(/leiguard_deliveries_total\{channel="ROBOT_OTO",status="failed"\} [1-9]/);
  expect(metrics.text).toMatch(/leiguard_delivery_latency_seconds_count\{channel="ROBOT_OTO"\} [1-9]/);
});
