// Issue #2 part 7, end to end through real Postgres, real Redis, the simulator and the official
// SDKs: a filed hazard's card reaches the unit manager; 「已知悉」 clicked in the simulator travels
// back over the stream, records an acknowledgement with an audit event, and updates the card.
import { verifyAuditChain } from '../../../core/audit';
import { fileHazard } from '../../../core/hazard/file-hazard';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let world: World;

beforeAll(async () => {
  t = await startTestRuntime();
  world = await createWorld(t.db.prisma);
  await addUsers(t, world.users);
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
});

afterAll(async () => {
  await t?.close();
});

test('hazard card to the manager, 已知悉 round trip, audit and in-place update', async () => {
  const { prisma } = t.db;
  const { hazardId, deliveryIds } = await fileHazard(
    prisma,
    world.regulatorId,
    {
      unitId: world.unitId,
      type: 'EARTH_R',
      grade: 'GENERAL',
      source: 'TEST',
      description: '3 号罐接地电阻 18.6 Ω，超过 10 Ω 限值',
      deadlineWorkingDays: 10,
    },
    { publicBaseUrl: t.runtime.deps.publicBaseUrl },
  );
  expect(deliveryIds).toHaveLength(1); // general hazard: the manager only
  await t.runtime.dispatch(deliveryIds);

  const delivery = await waitFor(
    async () => {
      const d = await prisma.delivery.findUniqueOrThrow({ where: { id: deliveryIds[0] } });
      return d.status === 'SENT' ? d : undefined;
    },
    20_000,
    'delivery sent',
  );
  expect(delivery.outTrackId).toBe(`lg-${delivery.id}`);

  const before = await t.sim.call<{ card: { publicData: Record<string, string> } } & Record<string, unknown>>(
    'GET',
    `/__sim/cards/${delivery.outTrackId}`,
  );
  expect(JSON.stringify(before)).toContain('待整改');

  const managerUserId = world.users[1].userId;
  const click = await t.sim.click(delivery.outTrackId!, managerUserId, 'ack');
  expect(click.acked).toBe(true);

  const ack = await prisma.hazardAck.findUnique({
    where: { hazardId_personId: { hazardId, personId: world.managerId } },
  });
  expect(ack).not.toBeNull();
  const hazard = await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } });
  expect(hazard.status).toBe('FIXING');
  const events = await prisma.auditEvent.findMany({
    where: { subjectType: 'hazard', subjectId: hazardId },
    orderBy: { id: 'asc' },
  });
  expect(events.map((e) => e.action)).toEqual(['hazard.filed', 'hazard.acknowledged']);
  expect((await verifyAuditChain(prisma)).ok).toBe(true);

  // The card now says who acknowledged, and the buttons stay for 提交整改.
  const after = await t.sim.call('GET', `/__sim/cards/${delivery.outTrackId}`);
  expect(JSON.stringify(after)).toContain('李经理 已知悉');
  expect(JSON.stringify(after)).toContain('整改中');

  // 「已知悉」 is gone for the manager at once: a second click is refused by the card itself and
  // changes nothing (no second acknowledgement, no second audit event).
  await expect(t.sim.click(delivery.outTrackId!, managerUserId, 'ack')).rejects.toThrow('按钮 ack 对该用户不可见');
  expect(await prisma.hazardAck.count({ where: { hazardId } })).toBe(1);
  expect(await prisma.auditEvent.count({ where: { subjectType: 'hazard', subjectId: hazardId } })).toBe(2);
});

test('a click by a manager who has since left the unit is refused on the card and changes nothing', async () => {
  const { prisma } = t.db;
  const { hazardId, deliveryIds } = await fileHazard(
    prisma,
    world.regulatorId,
    {
      unitId: world.unitId,
      type: 'SPD_FAIL',
      grade: 'GENERAL',
      description: '配电室 SPD 劣化指示窗变红',
      deadlineWorkingDays: 5,
    },
    { publicBaseUrl: t.runtime.deps.publicBaseUrl },
  );
  await t.runtime.dispatch(deliveryIds);
  const d = await waitFor(
    async () => {
      const row = await prisma.delivery.findUniqueOrThrow({ where: { id: deliveryIds[0] } });
      return row.status === 'SENT' ? row : undefined;
    },
    20_000,
    'delivery sent',
  );
  // The card reached the manager, who then moved to another post.
  await prisma.person.update({ where: { id: world.managerId }, data: { unitId: null } });
  try {
    const res = await t.sim.click(d.outTrackId!, world.users[1].userId, 'ack');
    expect(res.acked).toBe(true);
    expect(JSON.stringify(res.response)).toContain('只有该单位的负责人或法定代表人可以确认知悉');
  } finally {
    await prisma.person.update({ where: { id: world.managerId }, data: { unitId: world.unitId } });
  }
  expect(await prisma.hazardAck.count({ where: { hazardId } })).toBe(0);
  expect((await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } })).status).toBe('PENDING');
});
