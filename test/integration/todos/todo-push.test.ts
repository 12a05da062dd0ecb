// Pushing to-do rows to DingTalk (issue #21, docs/dingtalk-todo.md) against the simulator through
// the official SDK, one push at a time (no worker, no scheduler: the test drives the follower and
// the pushes): a create whose answer was lost is found by its sourceId and never made twice; two
// pushes of one row at once push it once, and a push of a held row only queues one later look; a to-do deleted in DingTalk while its task is open is
// created again under a new sourceId; no permission, an unknown unionId and no unionId at all are
// recorded on the row in Chinese with nothing created, and a granted permission lets the refused
// rows through again. TODO_SYNC=false writes no row (a hazard, a periodic test due) and calls nothing.
import { fileHazard } from '../../../core/hazard/file-hazard';
import type { Job } from 'bullmq';
import { claimTodo, TODO_ERRORS, todosToPush } from '../../../core/todos';
import { followTodos } from '../../../workflows/todos/follow.job';
import { pushTodo } from '../../../workflows/todos/push';
import { todoPushJob } from '../../../workflows/todos/push.job';
import { createWorld, type World } from '../../helpers/fixtures';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { allTodos, todosOf, unionOf, withUnionIds } from '../../helpers/todos';

let t: TestRuntime;
let w: World;

beforeAll(async () => {
  t = await startTestRuntime({ env: { ROLES: 'api' } });
  w = await createWorld(t.db.prisma);
  await withUnionIds(t, [
    { personId: w.regulatorId, ...w.users[0]! },
    { personId: w.managerId, ...w.users[1]! },
  ]);
  await followTodos(t.runtime.deps); // the first pass only places the cursor
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const MGR = () => w.users[1]!.userId;

/** Files a hazard and follows the record: returns the manager's to-do row. */
async function fileOne(description: string) {
  const { hazardId } = await fileHazard(
    t.db.prisma,
    w.regulatorId,
    { unitId: w.unitId, type: 'SPD_FAIL', grade: 'GENERAL', source: 'TEST', description, deadlineWorkingDays: 10 },
    { publicBaseUrl: t.runtime.deps.publicBaseUrl },
  );
  await followTodos(t.runtime.deps);
  return t.db.prisma.todoItem.findFirstOrThrow({ where: { subjectId: hazardId, kind: 'hazard.fix' } });
}

const row = (id: string) => t.db.prisma.todoItem.findUniqueOrThrow({ where: { id } });

test('a create whose answer was lost is found by its sourceId, and one row pushed twice at once makes one to-do', async () => {
  const item = await fileOne('1 号配电房 SPD 劣化指示窗变红');
  const pushes = await Promise.allSettled([pushTodo(t.runtime.deps, item.id), pushTodo(t.runtime.deps, item.id)]);
  expect(pushes.filter((p) => p.status === 'fulfilled' && p.value.pushed)).toHaveLength(1);
  const created = await row(item.id);
  expect(created).toMatchObject({ pending: false, syncedRev: created.rev, createSent: true, errorCode: null });
  const mine = (await allTodos(t)).filter((x) => x.sourceId === item.id);
  expect(mine).toHaveLength(1);

  // The answer of that create is lost (the worker died before noting the task's id): pushed again.
  await t.db.prisma.todoItem.update({
    where: { id: item.id },
    data: { dingTaskId: null, pending: true, rev: { increment: 1 }, description: '描述已更新' },
  });
  const again = await pushTodo(t.runtime.deps, item.id);
  expect(again).toMatchObject({ pushed: true, settlement: { ok: true } });
  const after = (await allTodos(t)).filter((x) => x.sourceId?.startsWith(item.id));
  expect(after.map((x) => [x.id, x.description])).toEqual([[mine[0]!.id, '描述已更新']]);
  expect((await row(item.id)).dingTaskId).toBe(mine[0]!.id);
});

test('a to-do deleted in DingTalk while its task is open is created again under the next sourceId', async () => {
  const item = await fileOne('2 号罐引下线断开');
  await pushTodo(t.runtime.deps, item.id);
  const first = await row(item.id);
  await t.runtime.deps.dingtalk.todoDelete(unionOf(MGR()), first.dingTaskId!);
  await t.db.prisma.todoItem.update({ where: { id: item.id }, data: { pending: true, rev: { increment: 1 } } });
  expect(await pushTodo(t.runtime.deps, item.id)).toMatchObject({ pushed: true, settlement: { ok: true } });
  const second = await row(item.id);
  expect(second.generation).toBe(2);
  expect(second.dingTaskId).not.toBe(first.dingTaskId);
  const open = (await todosOf(t, MGR(), true)).filter((x) => x.sourceId?.startsWith(item.id));
  expect(open.map((x) => x.sourceId)).toEqual([`${item.id}#2`]);
});

test('no permission, an unknown unionId, no unionId: recorded on the row, nothing created; a granted permission lets them through', async () => {
  const { prisma } = t.db;
  const before = (await allTodos(t)).length;
  await t.sim.call('PUT', `/__sim/apps/${t.sim.app.appKey}/refusals`, { apis: ['todo.create'] });
  const a = await fileOne('避雷针锈蚀');
  const b = (await prisma.todoItem.findMany({ where: { pending: true } })).map((r) => r.id);
  for (const id of b) await pushTodo(t.runtime.deps, id);
  expect(await row(a.id)).toMatchObject({
    pending: false,
    errorCode: TODO_ERRORS.NO_PERMISSION,
    errorMessage: expect.stringContaining('Todo.Todo.Write'),
  });
  expect((await allTodos(t)).length).toBe(before);

  // A second manager whose unionId DingTalk does not know, and a third without any.
  const stranger = await prisma.person.create({
    data: {
      name: '孙经理',
      roles: ['UNIT_MANAGER'],
      unitId: w.unitId,
      dingUserId: `x_${w.users[1]!.userId}`,
      dingUnionId: 'union-nobody',
    },
  });
  const nobody = await prisma.person.create({
    data: { name: '周经理', roles: ['UNIT_MANAGER'], unitId: w.unitId, dingUserId: `y_${w.users[1]!.userId}` },
  });
  await t.sim.call('PUT', `/__sim/apps/${t.sim.app.appKey}/refusals`, {});
  const c = await fileOne('接闪带断裂');
  const [unknown, none] = await Promise.all(
    [stranger.id, nobody.id].map((personId) =>
      prisma.todoItem.findFirstOrThrow({ where: { subjectId: c.subjectId, personId } }),
    ),
  );
  await pushTodo(t.runtime.deps, unknown.id);
  await pushTodo(t.runtime.deps, none.id);
  expect(await row(unknown.id)).toMatchObject({
    pending: false,
    errorCode: TODO_ERRORS.REFUSED,
    errorMessage: expect.stringContaining('钉钉拒绝该待办'),
  });
  expect(await row(none.id)).toMatchObject({
    pending: false,
    errorCode: TODO_ERRORS.NO_UNION_ID,
    errorMessage: expect.stringContaining('map-dingtalk'),
  });

  // The permission is back: the sweep's probe goes through and brings the other refused rows back.
  const probe = await todosToPush(prisma);
  expect(probe).toContain(a.id);
  const retried: string[] = [];
  for (const id of probe) {
    const r = await pushTodo(t.runtime.deps, id);
    if (r.pushed) retried.push(...r.again);
  }
  for (const id of retried) await pushTodo(t.runtime.deps, id);
  await waitFor(
    async () => (await prisma.todoItem.count({ where: { errorCode: TODO_ERRORS.NO_PERMISSION } })) === 0,
    5_000,
    'no row left refused for want of the permission',
  );
  expect((await row(a.id)).dingTaskId).toBeTruthy();
  // The person without a unionId gets one (免登, map-dingtalk): the next sweep pushes their row.
  await prisma.person.update({ where: { id: nobody.id }, data: { dingUnionId: unionOf(w.users[1]!.userId) + '-2' } });
  await t.sim.call('POST', '/__sim/users', {
    users: [{ userId: nobody.dingUserId, unionId: unionOf(w.users[1]!.userId) + '-2', name: '周经理' }],
  });
  expect(await todosToPush(prisma)).toContain(none.id);
  await pushTodo(t.runtime.deps, none.id);
  expect(await row(none.id)).toMatchObject({ errorCode: null, pending: false });
});

test('a push of a row another push holds is no failure: one look is queued after the lease, then it is pushed', async () => {
  const item = await fileOne('2 号配电房接地引下线断开');
  const claim = await claimTodo(t.db.prisma, item.id);
  expect(claim.row?.id).toBe(item.id);
  const until = (await row(item.id)).leaseUntil!.getTime();
  const run = () =>
    todoPushJob.handle({ todoId: item.id }, {} as Job, {
      deps: t.runtime.deps,
      logger: t.runtime.deps.logger,
      signal: new AbortController().signal,
    });
  expect(await run()).toEqual({ pushed: false, reason: 'held' });
  expect(await run()).toEqual({ pushed: false, reason: 'held' });
  const notify = t.runtime.deps.queues.byName.notify;
  const looks = (await notify.getDelayed()).filter((j) => j.data?.todoId === item.id);
  expect(looks.map((j) => j.id)).toEqual([`todo-held-${item.id}-${until}`]);
  expect(looks[0]!.opts.delay).toBeGreaterThan(50_000);
  // The holder gone, its lease over: the look pushes the row.
  await t.db.prisma.todoItem.update({ where: { id: item.id }, data: { leaseUntil: new Date(Date.now() - 1) } });
  expect(await run()).toMatchObject({ pushed: true, ok: true });
  expect((await todosOf(t, MGR())).filter((x) => x.sourceId === item.id)).toHaveLength(1);
});

describe('TODO_SYNC=false', () => {
  let off: TestRuntime;
  beforeAll(async () => {
    off = await startTestRuntime({ env: { TODO_SYNC: 'false', TODO_FOLLOW_MS: '200' } });
  }, 60_000);
  afterAll(async () => {
    await off?.close();
  });

  test('writes no to-do row and calls nothing', async () => {
    const ow = await createWorld(off.db.prisma);
    await withUnionIds(off, [{ personId: ow.managerId, ...ow.users[1]! }]);
    const filed = await fileHazard(
      off.db.prisma,
      ow.regulatorId,
      {
        unitId: ow.unitId,
        type: 'SPD_FAIL',
        grade: 'MAJOR',
        source: 'TEST',
        description: 'SPD 失效',
        deadlineWorkingDays: 5,
      },
      { publicBaseUrl: off.runtime.deps.publicBaseUrl },
    );
    await off.runtime.dispatch(filed.deliveryIds);
    // A periodic test due in 10 days: the daily scan reminds the manager, and writes no to-do either.
    await off.db.prisma.unit.update({
      where: { id: ow.unitId },
      data: { nextDueDate: new Date(Date.now() + 10 * 86_400_000) },
    });
    const scan = await off.runtime.queues.enqueue('test-report.due-scan', {});
    await waitFor(
      async () => ((await off.runtime.queues.byName.system.getJobState(scan!)) === 'completed' ? true : undefined),
      20_000,
      'the periodic-test scan done',
    );
    expect(await off.db.prisma.delivery.count({ where: { purpose: 'test.due.d-30' } })).toBe(1);
    // Whatever the worker does meanwhile (the hazard's alert is sent), no to-do appears.
    await waitFor(
      async () => (await off.db.prisma.delivery.count({ where: { status: 'SENT' } })) > 0,
      20_000,
      'the alert sent',
    );
    expect(await off.db.prisma.todoItem.count()).toBe(0);
    expect(await todosOf(off, ow.users[1]!.userId)).toEqual([]);
    expect((await off.sim.stats()).apis['todo.create']).toBeUndefined();
  });
});
