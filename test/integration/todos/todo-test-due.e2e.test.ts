// The periodic test's to-do (定期检测, 《防雷减灾管理办法》 art. 19), end to end through real Postgres,
// Redis, the simulator and the official SDK: the daily scan finds a half-yearly unit due in 20 days
// and its manager gets 「安排防雷装置定期检测」 in DingTalk (due date, site, the unit's page, where
// the manager sees the dates; 「我的待办」 lists it as well); a rerun of the scan and a sweep create
// nothing twice; a corrected due date updates the same to-do; a testing agency's report completes
// it, and the scan after that opens nothing new.
import request from 'supertest';
import { startOfShanghaiDay } from '../../../core/domain/working-days';
import { sweepAndPush } from '../../../workflows/todos/sweep.job';
import { waitFor } from '../../helpers/runtime';
import { allTodos, linkPath, taskPages, todosOf, todoSuite, type SimTodo } from '../../helpers/todos';

const TOKEN = 'todo-test-due-agency-token-0123456789';
const AGENCY_USCC = '91330105MA2B000079';
const DAY = 86_400_000;
const TODAY = startOfShanghaiDay(new Date());
/** The end of the day n days from today (Asia/Shanghai), as a test report sets a due date. */
const inDays = (n: number) => new Date(TODAY.getTime() + (n + 1) * DAY - 1);
/** YYYY-MM-DD n days from today (Asia/Shanghai). */
const day = (n: number) => new Date(TODAY.getTime() + n * DAY + 8 * 3_600_000).toISOString().slice(0, 10);

const s = todoSuite({
  TEST_REPORT_API_TOKENS: JSON.stringify({ [AGENCY_USCC]: TOKEN }),
  // This report's test predates testing plans (R13/R14 are tested in test/integration/field-work).
  TEST_PLAN_REQUIRED_FROM: day(30),
});
const { as, MGR, REP } = s;

/** Runs the daily scan now and waits for it to finish. */
async function scan(): Promise<void> {
  const id = await s.t.runtime.queues.enqueue('test-report.due-scan', {});
  await waitFor(
    async () => ((await s.t.runtime.queues.byName.system.getJobState(id!)) === 'completed' ? true : undefined),
    20_000,
    'the scan done',
  );
}

/** The manager's to-dos once the one there is satisfies `ok`. */
async function managerTodo(ok: (x: SimTodo) => boolean, what: string): Promise<SimTodo> {
  return waitFor(
    async () => {
      const todos = await todosOf(s.t, MGR());
      return todos.length === 1 && ok(todos[0]!) ? todos[0] : undefined;
    },
    20_000,
    what,
  );
}

/** Every to-do row and DingTalk to-do of the unit's periodic test, and the scan's notices to the manager. */
async function counts() {
  const { prisma } = s.t.db;
  return {
    rows: await prisma.todoItem.count({ where: { subjectType: 'test-due', subjectId: s.w.unitId } }),
    dingTalk: (await allTodos(s.t)).filter((x) => x.subject.includes('安排防雷装置定期检测')).length,
    notices: await prisma.delivery.count({
      where: { purpose: { startsWith: 'test.due.' }, recipientPersonId: s.w.managerId },
    }),
  };
}

test('due in 20 days: the manager’s to-do; reruns add nothing; a new date updates it; the report completes it', async () => {
  const { prisma } = s.t.db;
  const unit = await prisma.unit.update({
    where: { id: s.w.unitId },
    data: { lastTestDate: new Date(TODAY.getTime() - 163 * DAY), nextDueDate: inDays(20) },
  });
  await scan();
  const todo = await managerTodo((x) => !x.done, "the manager's to-do");
  expect(todo.subject).toBe(`${unit.name}：安排防雷装置定期检测（${day(20)} 到期）`);
  expect(todo.description).toContain(`场所：${unit.address}`);
  expect(todo.description).toContain('防雷装置应当每半年检测一次');
  expect(todo.description).toContain(`上次检测：${day(-163)}`);
  expect(todo.dueTime).toBe(inDays(20).getTime());
  expect(todo.priorityLabel).toBe('普通');
  // The link opens the unit's page, which shows the manager the dates.
  expect(linkPath(todo)).toBe(`/m/units/${unit.id}`);
  const view = await request(s.url)
    .get(`/api/m/units/${unit.id}/field-work`)
    .set('authorization', await as(MGR()))
    .expect(200);
  expect(view.body.unit).toMatchObject({ nextDueDate: day(20), lastTestDate: day(-163) });
  expect(await todosOf(s.t, REP())).toEqual([]); // the unit has a manager: the task is his
  expect(await taskPages(s, MGR())).toEqual([`/m/units/${unit.id}`]); // 「我的待办」 lists it too

  await scan();
  await sweepAndPush(s.t.runtime.deps);
  expect(await counts()).toEqual({ rows: 1, dingTalk: 1, notices: 1 });

  // The due date is corrected (an import, an operator): the same to-do shows the new one.
  await prisma.unit.update({ where: { id: unit.id }, data: { nextDueDate: inDays(12) } });
  await sweepAndPush(s.t.runtime.deps);
  const moved = await managerTodo((x) => x.dueTime === inDays(12).getTime(), 'the to-do moved');
  expect(moved.id).toBe(todo.id);
  expect(moved.subject).toBe(`${unit.name}：安排防雷装置定期检测（${day(12)} 到期）`);

  // A testing agency submits the report of yesterday's test: the cycle moves on, the to-do is done.
  const agency = await prisma.agency.create({
    data: {
      uscc: AGENCY_USCC,
      name: '示例防雷检测技术有限公司',
      level: 'A',
      certNo: 'ZJ-FL-2024-079',
      certValidUntil: inDays(730),
      homeProvince: '330000',
    },
  });
  const testers = await Promise.all(
    ['李检测', '赵检测'].map((name) =>
      prisma.tester.create({ data: { agencyId: agency.id, name, certNo: `T-${name}`, certValidUntil: inDays(365) } }),
    ),
  );
  await request(s.url)
    .post('/api/test-reports')
    .set('Authorization', `Bearer ${TOKEN}`)
    .send({
      reportNo: `FLJC-TD-${Date.now().toString(36)}`,
      unitUscc: unit.uscc,
      testerIds: testers.map((x) => x.id),
      inspectionDate: day(-1),
      issueDate: day(0),
      photos: [{ hash: 'a1b2c3d4e5f60718', exifTime: `${day(-1)}T09:40:00+08:00` }],
      instruments: [{ name: '接地电阻测试仪', certNo: 'JD-2026-118', calibratedUntil: day(300) }],
      measurements: [{ item: '接地电阻', location: '1号罐', value: 3.2, unit: 'Ω', limit: 10, pass: true }],
      conclusion: 'PASS',
      file: { name: 'report.pdf', contentBase64: Buffer.from('%PDF-1.4 test report').toString('base64') },
    })
    .expect(201);
  const done = await managerTodo((x) => x.done, 'the to-do done');
  expect(done.id).toBe(todo.id);
  expect(await todosOf(s.t, MGR(), true)).toEqual([]);
  expect(await taskPages(s, MGR())).toEqual([]);

  // The next period is half a year away: the scan and a sweep open nothing.
  await scan();
  await sweepAndPush(s.t.runtime.deps);
  expect(await counts()).toEqual({ rows: 1, dingTalk: 1, notices: 1 });
  expect((await prisma.todoItem.findFirstOrThrow({ where: { subjectType: 'test-due' } })).state).toBe('DONE');
});
