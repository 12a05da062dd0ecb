// Issue #3 fault tests: a worker process SIGKILLed in the middle of 10,000 deliveries, then a new
// worker: every one delivered, duplicates at most the in-flight calls, none for cards.
import { getTemplate } from '../../../templates';
import { receivedPerUser, statusCounts, textTo, writeDeliveries } from '../../helpers/deliveries';
import { startLeiGuardProcess, stopProcess } from '../../helpers/process';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import type { ChildProcess } from 'node:child_process';

let t: TestRuntime;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // This process writes and dispatches; the separate worker processes send.
  t = await startTestRuntime({ env: { ROLES: 'api,scheduler' } });
});
afterAll(async () => {
  for (const c of children) await stopProcess(c, 'SIGKILL');
  await t?.close();
});

test('SIGKILL of the worker mid-run: all delivered, duplicates ≤ in-flight, no duplicate cards', async () => {
  const N = 10_000;
  const CARDS = 200;
  const CONCURRENCY = 8;
  const users = Array.from({ length: N }, (_, i) => ({ userId: `crash_u${i}`, name: `用户${i}` }));
  await t.sim.call('POST', '/__sim/users', { users });
  const sample = getTemplate('hazard-alert').sample as Record<string, unknown>;
  const ids = await writeDeliveries(t.db.prisma, [
    ...users.map((u) => textTo(u.userId, 'crash')),
    ...users.slice(0, CARDS).map((u) => ({
      ...textTo(u.userId, 'crash-card'),
      channel: 'CARD' as const,
      template: 'hazard-alert',
      data: sample,
    })),
  ]);
  await t.runtime.dispatch(ids);

  const workerEnv = { ...t.env, ROLES: 'worker', NOTIFY_CONCURRENCY: String(CONCURRENCY) };
  const first = await startLeiGuardProcess(workerEnv);
  children.push(first);
  await waitFor(async () => (receivedPerUser(t.sim.sim).size >= 2500 ? true : undefined), 120_000, '2,500 delivered');
  await stopProcess(first, 'SIGKILL');

  const second = await startLeiGuardProcess(workerEnv);
  children.push(second);
  await waitFor(
    async () => ((await statusCounts(t.db.prisma, ids)).SENT === N + CARDS ? true : undefined),
    240_000,
    'all sent',
  );

  const perUser = receivedPerUser(t.sim.sim);
  expect(perUser.size).toBe(N);
  const duplicates = [...perUser.values()].reduce((sum, n) => sum + (n - 1), 0);
  // At most the batches that were in flight when the worker died (concurrency × batch size).
  expect(duplicates).toBeLessThanOrEqual(CONCURRENCY * 20);
  const cardCreates = t.sim.sim.state.messages.filter((m) => m.api === 'card.createAndDeliver');
  const perCard = new Map<string, number>();
  for (const m of cardCreates) perCard.set(String(m.outTrackId), (perCard.get(String(m.outTrackId)) ?? 0) + 1);
  expect(perCard.size).toBe(CARDS);
  expect([...perCard.values()].every((n) => n === 1)).toBe(true);
  await stopProcess(second);
}, 400_000);
