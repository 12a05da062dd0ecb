// A warning's first line is written after its commit by warning.fan-out (issue #20), in set-based
// chunks: a fan-out cut short after a committed chunk (the worker gone before it dispatched it)
// is resumed from the units not yet written, writes every unit and every delivery exactly once,
// picks channels as the first-line rules do, and loses nothing (the reconciler sends the chunk
// that was never dispatched). Running it again writes and sends nothing.
import { assignChannels } from '../../../core/warning/first-line';
import { lockFanOut, writeChunk } from '../../../core/warning/fan-out-chunks';
import { issueWarning } from '../../../core/warning/issue-warning';
import { warningStatus } from '../../../core/warning/status';
import { warningCardBase } from '../../../core/warning/warning-cards';
import { reconcileDeliveries } from '../../../workflows/notify/reconcile.job';
import { createPerson, createUnit } from '../../factories';
import { runFanOut } from '../../helpers/fan-out';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
const NOW = Date.now();
const W = `33011041600000_20261206130000_${NOW % 1000}`;

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.close();
});

const run = () => runFanOut(t, W);

test('a fan-out cut short after a chunk resumes, writes each unit and delivery once, and loses nothing', async () => {
  const db = t.db.prisma;
  const unit = (category: 'FLAMMABLE' | 'TALL') => createUnit(db, { regionCode: '330110', category });
  const [a, b, c, d, e] = [
    await unit('TALL'),
    await unit('FLAMMABLE'),
    await unit('FLAMMABLE'),
    await unit('TALL'),
    await unit('FLAMMABLE'),
  ];
  const called = [
    await createPerson(db, { unitId: a!.id }),
    await createPerson(db, { unitId: b!.id, roles: ['LEGAL_REP'] }),
    await createPerson(db, { unitId: e!.id }),
    await createPerson(db, { unitId: e!.id }),
  ];
  await createPerson(db, { unitId: c!.id, dingUserId: null });
  await createPerson(db, { unitId: c!.id, roles: ['LEGAL_REP'] });
  await addUsers(
    t,
    called.map((p) => ({ userId: p.dingUserId!, name: p.name })),
  );
  const change = await issueWarning(
    db,
    {
      id: W,
      level: 'RED',
      regionCodes: ['330110'],
      issuedAt: new Date(NOW).toISOString(),
      expiresAt: new Date(NOW + 2 * 3600_000).toISOString(),
      issuer: '杭州市余杭区气象台',
      text: '余杭区 2 小时内可能发生雷电活动',
    },
    {
      source: 'API',
      firstLine: { RED: ['WORK_NOTICE', 'CARD_SHARED'], ORANGE: ['CARD_SHARED'], YELLOW: ['CARD_SHARED'] },
      ladders: { RED: [], ORANGE: [], YELLOW: [] },
      workNoticePerMinute: 2,
      publicBaseUrl: t.runtime.deps.publicBaseUrl,
    },
  );
  // The answer's figures come from one count; nothing is written yet.
  expect(change).toMatchObject({ units: 5, fanOut: true, deliveryIds: [] });
  expect(change.message).toBe('已发布：5 家重点单位（其中 2 家无法送达，已告知监管人员）');
  expect(await db.warningUnit.count({ where: { warningId: W } })).toBe(0);

  // One chunk of two units commits, then the worker is gone before dispatching it.
  await db.$transaction(async (tx) => {
    const f = await lockFanOut(tx, W);
    await writeChunk(tx, await warningCardBase(tx, W), f!, 2, new Date(), t.runtime.deps.publicBaseUrl);
  });
  const status = await db.$transaction((tx) => warningStatus(tx, W, { all: true, regionCodes: [], unitIds: [] }));
  expect(status.fanOut).toEqual({ written: 2, total: 5, finished: false });

  expect((await run()).units).toBe(3);
  const rows = await db.warningUnit.findMany({ where: { warningId: W }, orderBy: { rank: 'asc' } });
  expect(rows.map((r) => r.rank)).toEqual([0, 1, 2, 3, 4]);
  // Most exposed categories first; channels as the first-line rules choose them for that order.
  const order = [b!, c!, e!]
    .sort((x, y) => (x.id < y.id ? -1 : 1))
    .concat([a!, d!].sort((x, y) => (x.id < y.id ? -1 : 1)));
  expect(rows.map((r) => r.unitId)).toEqual(order.map((u) => u.id));
  const people: Record<string, number> = { [a!.id]: 1, [b!.id]: 1, [e!.id]: 2 };
  const reachable = rows.filter((r) => people[r.unitId]);
  const expected = assignChannels(
    reachable.map((r) => ({ people: people[r.unitId]! })),
    ['WORK_NOTICE', 'CARD_SHARED'],
    2,
  );
  expect(reachable.map((r) => r.channel)).toEqual(expected);
  expect(Object.fromEntries(rows.filter((r) => r.unreachable).map((r) => [r.unitId, r.unreachable]))).toEqual({
    [c!.id]: '负责人和法定代表人均未绑定钉钉账号',
    [d!.id]: '未登记负责人或法定代表人',
  });
  const firstLine = { subjectId: { startsWith: `${W}|` }, purpose: 'warning.first-line' };
  expect(await db.delivery.count({ where: firstLine })).toBe(4);

  // Again: nothing more is written or sent.
  expect(await run()).toEqual({ units: 0, deliveries: 0 });
  expect(await db.delivery.count({ where: firstLine })).toBe(4);

  // The chunk never dispatched is sent by the reconciler: every first-line message goes out.
  await reconcileDeliveries(t.runtime.deps, { graceMs: 0 });
  await waitFor(
    async () => (await db.delivery.count({ where: { ...firstLine, status: 'SENT' } })) === 4 || undefined,
    20_000,
    'every first-line message sent',
  );
  const done = await db.$transaction((tx) => warningStatus(tx, W, { all: true, regionCodes: [], unitIds: [] }));
  expect(done).toMatchObject({ units: 5, unreachable: 2, fanOut: { written: 5, total: 5, finished: true } });
});
