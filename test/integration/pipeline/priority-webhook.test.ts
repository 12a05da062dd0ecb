// Issue #3: urgent notices overtake a bulk backlog; a burst for one custom group robot becomes one
// merged message; statutory notices reach people who muted that purpose, other notices do not.
import { encrypt, loadDataKey } from '../../../core/crypto';
import { statusCounts, textTo, writeDeliveries } from '../../helpers/deliveries';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
// The runtime's data key (test/helpers/runtime.ts).
const dataKey = loadDataKey({ dataKey: Buffer.alloc(32, 7).toString('hex') }, '/nonexistent');

beforeAll(async () => {
  // One send at a time makes the queue order visible; quiet hours off so the result does not
  // depend on the hour the test runs at ('00:00-00:00' is an empty window).
  t = await startTestRuntime({ env: { NOTIFY_CONCURRENCY: '1', QUIET_HOURS: '00:00-00:00' } });
});
afterAll(async () => {
  await t?.close();
});

interface SimMessage {
  seq: number;
  api: string;
  to: Record<string, unknown>;
  content: unknown;
}
const messages = () => t.sim.sim.state.messages as unknown as SimMessage[];
const seqOf = (userId: string) => messages().find((m) => m.api === 'robot.batchSend' && m.to['userId'] === userId)?.seq;

test('an urgent notice overtakes a bulk backlog', async () => {
  const bulkUsers = Array.from({ length: 40 }, (_, i) => ({ userId: `prio_bulk${i}`, name: `批量${i}` }));
  await t.sim.call('POST', '/__sim/users', { users: [...bulkUsers, { userId: 'prio_urgent', name: '紧急' }] });
  await t.sim.call('PUT', '/__sim/faults', { api: 'robot.batchSend', latencyMs: 200 });
  try {
    // 40 different messages: 40 batches of priority 9.
    const bulk = await writeDeliveries(
      t.db.prisma,
      bulkUsers.map((u, i) =>
        textTo(u.userId, 'prio-bulk', {
          priority: 9,
          data: { title: '例行通知', paragraphs: [`第 ${i} 条例行通知。`] },
        }),
      ),
    );
    await t.runtime.dispatch(bulk);
    const [urgent] = await writeDeliveries(t.db.prisma, [textTo('prio_urgent', 'prio-urgent', { priority: 1 })]);
    await t.runtime.dispatch([urgent]);

    await waitFor(
      async () => ((await statusCounts(t.db.prisma, [...bulk, urgent])).SENT === 41 ? true : undefined),
      60_000,
      'all sent',
    );
    const urgentSeq = seqOf('prio_urgent')!;
    const bulkSeqs = bulkUsers.map((u) => seqOf(u.userId)!);
    const before = bulkSeqs.filter((s) => s < urgentSeq).length;
    // At most the batches already taken by the worker go first.
    expect(before).toBeLessThan(5);
  } finally {
    await t.sim.call('DELETE', '/__sim/faults');
  }
}, 90_000);

test('five notices for one custom group robot arrive as one merged message, all SENT', async () => {
  const { prisma } = t.db;
  const created = await t.sim.call<{ accessToken: string; webhook: string }>('POST', '/__sim/webhook-robots', {
    name: '防雷值班群机器人',
    secret: 'SECwebhook-test-secret',
  });
  const robot = await prisma.webhookRobot.create({
    data: {
      name: '防雷值班群',
      webhookUrlEnc: encrypt(dataKey, created.webhook, 'webhook.url'),
      secretEnc: encrypt(dataKey, 'SECwebhook-test-secret', 'webhook.secret'),
    },
  });
  const ids = await writeDeliveries(
    prisma,
    Array.from({ length: 5 }, (_, i) => ({
      purpose: 'test.webhook',
      channel: 'WEBHOOK' as const,
      template: 'generic-text',
      data: { title: `雷电预警 ${i + 1}`, paragraphs: [`第 ${i + 1} 条群通知。`] },
      recipientAddress: robot.id,
      subjectType: 'test',
      subjectId: `wh-${i}`,
    })),
  );
  expect(ids).toHaveLength(5);
  await t.runtime.dispatch(ids);
  await waitFor(
    async () => {
      const c = await statusCounts(prisma, ids);
      return (c.SENT ?? 0) + (c.FAILED ?? 0) === 5 ? c : undefined;
    },
    20_000,
    'webhook settled',
  );

  const rows = await prisma.delivery.findMany({ where: { id: { in: ids } } });
  expect(rows.map((r) => r.status)).toEqual(['SENT', 'SENT', 'SENT', 'SENT', 'SENT']);
  expect(rows.some((r) => r.errorCode === '660026' || r.dingCode === '660026')).toBe(false);
  const sent = messages().filter((m) => m.api === 'webhook.send');
  expect(sent).toHaveLength(1);
  const text = JSON.stringify(sent[0].content);
  for (let i = 1; i <= 5; i++) expect(text).toContain(`第 ${i} 条群通知`);
  const stats = await t.sim.stats();
  expect(stats.apis['webhook.send']).toMatchObject({ calls: 1, errors: 0 });
});

test('a person who muted a purpose still gets its statutory notices, not the others', async () => {
  const { prisma } = t.db;
  await t.sim.call('POST', '/__sim/users', { users: [{ userId: 'mute_u1', name: '静音者' }] });
  const person = await prisma.person.create({
    data: { name: '静音者', roles: ['UNIT_MANAGER'], dingUserId: 'mute_u1', mutedPurposes: ['test.muted'] },
  });
  const base = {
    purpose: 'test.muted',
    channel: 'ROBOT_OTO' as const,
    template: 'generic-text',
    data: { title: '通知', paragraphs: ['检测报告已出具。'] },
    recipientPersonId: person.id,
    subjectType: 'test',
  };
  const [statutory, optional] = await writeDeliveries(prisma, [
    { ...base, statutory: true, subjectId: 'statutory' },
    { ...base, statutory: false, subjectId: 'optional' },
  ]);
  await t.runtime.dispatch([statutory, optional]);
  await waitFor(
    async () => {
      const c = await statusCounts(prisma, [statutory, optional]);
      return (c.SENT ?? 0) + (c.FAILED ?? 0) === 2 ? true : undefined;
    },
    20_000,
    'muted settled',
  );

  expect(await prisma.delivery.findUniqueOrThrow({ where: { id: statutory } })).toMatchObject({ status: 'SENT' });
  expect(await prisma.delivery.findUniqueOrThrow({ where: { id: optional } })).toMatchObject({
    status: 'FAILED',
    errorCode: 'MUTED_BY_RECIPIENT',
  });
  expect(messages().filter((m) => m.api === 'robot.batchSend' && m.to['userId'] === 'mute_u1')).toHaveLength(1);
});
