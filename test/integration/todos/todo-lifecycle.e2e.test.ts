// Issue #21 "Done when" (to-dos), end to end through real Postgres, Redis, the simulator and the
// official SDK: a hazard filed creates its manager's DingTalk to-do with the deadline; submitting
// creates the regulator's verify to-do and completes the manager's; a rejection reopens the same
// to-do with the new deadline; an approved extension (the regulator's approval to-do) moves its
// due time; closing completes everything. At every step each person's to-do list in the
// simulator is exactly their open tasks in the mini-app (「我的待办」).
import request from 'supertest';
import { waitFor } from '../../helpers/runtime';
import { allTodos, linkPath, todosOf, todoSuite, type SimTodo } from '../../helpers/todos';

const s = todoSuite();
const { as, REG, MGR, REP } = s;

/** The mini-app page a task or a to-do opens (a rectification form is the hazard's page). */
const page = (path: string) => path.replace(/\/rectify$/, '');

/** A person's open to-dos once they equal their open tasks in the mini-app, with `n` of them. */
async function settled(userId: string, n: number, what: string): Promise<SimTodo[]> {
  return waitFor(
    async () => {
      const todos = await todosOf(s.t, userId, true);
      const tasks = (
        await request(s.url)
          .get('/api/m/tasks')
          .set('authorization', await as(userId))
          .expect(200)
      ).body.items as Array<{ href: string }>;
      const a = todos.map((x) => page(linkPath(x))).sort();
      const b = tasks.map((x) => x.href).sort();
      return todos.length === n && JSON.stringify(a) === JSON.stringify(b) ? todos : undefined;
    },
    20_000,
    what,
  );
}

test('hazard filed → submitted → rejected → extended → closed: the to-dos follow, one per task', async () => {
  const { prisma } = s.t.db;
  const deadline = '2099-06-30';
  const filed = await request(s.url)
    .post('/api/m/hazards')
    .set('authorization', await as(REG()))
    .send({
      unitId: s.w.unitId,
      type: 'EARTH_R',
      grade: 'MAJOR',
      source: 'TEST',
      description: '3 号罐接地电阻 18.6 Ω，超过 10 Ω 限值',
      deadline,
    })
    .expect(201);
  const hazardId = filed.body.hazardId as string;
  const hazard = await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId }, include: { unit: true } });

  // Filed: the manager's to-do, due at the deadline, major → 紧急, opening the rectification page.
  const [fix] = await settled(MGR(), 1, "the manager's to-do");
  expect(fix!.subject).toBe(`${hazard.unit.name}：接地电阻超标（重大隐患）待整改`);
  expect(fix!.dueTime).toBe(hazard.deadline.getTime());
  expect(fix!.priorityLabel).toBe('紧急');
  const link = new URL(fix!.detailUrl!.appUrl!);
  expect(link.pathname).toBe(`/m/hazards/${hazardId}/rectify`);
  expect(link.searchParams.get('corpId')).toBe(s.t.sim.app.corpId);
  expect(fix!.description).toContain('整改期限：2099-06-30');
  await settled(REG(), 0, 'nothing for the regulator yet');
  expect(await todosOf(s.t, REP())).toEqual([]); // the legal representative owes no rectification

  // Submitted: the regulator's verify to-do; the manager's is done.
  const mgr = await as(MGR());
  await request(s.url)
    .post(`/api/m/hazards/${hazardId}/rectification`)
    .set('authorization', mgr)
    .send({ description: '更换锈蚀接地极 4 根并补焊连接线', photos: [{ url: 'https://example.org/fix.jpg' }] })
    .expect(201);
  const [verify] = await settled(REG(), 1, "the regulator's verify to-do");
  expect(verify!.subject).toBe(`${hazard.unit.name}：接地电阻超标（重大隐患）整改待复核`);
  expect(verify!.description).toContain('李经理');
  expect(linkPath(verify!)).toBe(`/m/hazards/${hazardId}`);
  await settled(MGR(), 0, "the manager's to-do done");
  expect((await todosOf(s.t, MGR())).map((x) => [x.id, x.done])).toEqual([[fix!.id, true]]);

  // Rejected: the same to-do reopens with the new deadline; the verify to-do is done.
  await request(s.url)
    .post(`/api/m/hazards/${hazardId}/verify`)
    .set('authorization', await as(REG()))
    .send({ decision: 'REJECTED', reason: '复测报告显示接地电阻仍为 11.2 Ω' })
    .expect(200);
  const reworked = await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } });
  const [reopened] = await settled(MGR(), 1, 'the reopened to-do');
  expect(reopened!.id).toBe(fix!.id);
  expect(reopened!.dueTime).toBe(reworked.deadline.getTime());
  expect(reopened!.subject).toContain('复核未通过，请重新整改');
  expect(reopened!.description).toContain('复核意见：复测报告显示接地电阻仍为 11.2 Ω');
  await settled(REG(), 0, 'the verify to-do done');

  // Extension asked: the regulator's approval to-do; approved: done, and the manager's due time moves.
  const newDeadline = new Date(reworked.deadline.getTime() + 10 * 86_400_000);
  await request(s.url)
    .post(`/api/m/hazards/${hazardId}/extension`)
    .set('authorization', mgr)
    .send({ reason: '需等待检测机构复测，预约在下周', newDeadline: newDeadline.toISOString() })
    .expect(201);
  const [decide] = await settled(REG(), 1, "the regulator's extension to-do");
  expect(decide!.subject).toBe(`${hazard.unit.name} 整改延期：「延期审核」待审批`);
  expect(linkPath(decide!)).toMatch(/^\/m\/approvals\//);
  await request(s.url)
    .post(`/api/m/hazards/${hazardId}/extension/decision`)
    .set('authorization', await as(REG()))
    .send({ approve: true })
    .expect(200);
  await settled(REG(), 0, 'the extension to-do done');
  await waitFor(
    async () => (await todosOf(s.t, MGR(), true))[0]?.dueTime === newDeadline.getTime(),
    20_000,
    "the manager's due time moved",
  );
  await settled(MGR(), 1, 'still one to-do for the manager');

  // Submitted again and approved: closed, everything done, nothing deleted, one to-do per task.
  await request(s.url)
    .post(`/api/m/hazards/${hazardId}/rectification`)
    .set('authorization', mgr)
    .send({ description: '新增垂直接地极 2 根，降阻后复测 3.2 Ω', photos: [{ url: 'https://example.org/fix2.jpg' }] })
    .expect(201);
  await settled(REG(), 1, 'the second verify to-do');
  await request(s.url)
    .post(`/api/m/hazards/${hazardId}/verify`)
    .set('authorization', await as(REG()))
    .send({ decision: 'APPROVED' })
    .expect(200);
  expect((await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } })).status).toBe('CLOSED');
  await settled(MGR(), 0, 'manager: nothing open');
  await settled(REG(), 0, 'regulator: nothing open');
  const all = await waitFor(
    async () => {
      const list = await allTodos(s.t);
      return list.length === 4 && list.every((x) => x.done) ? list : undefined;
    },
    20_000,
    'every to-do done',
  );
  expect(all.filter((x) => x.deleted)).toEqual([]);
  const rows = await prisma.todoItem.findMany({ orderBy: { createdAt: 'asc' } });
  expect(rows.map((r) => [r.kind, r.state, r.pending, r.errorCode])).toEqual([
    ['hazard.fix', 'DONE', false, null],
    ['hazard.verify', 'DONE', false, null],
    ['approval.step', 'DONE', false, null],
    ['hazard.verify', 'DONE', false, null],
  ]);
});
