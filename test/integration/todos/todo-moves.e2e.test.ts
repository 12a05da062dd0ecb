// Issue #21 item 1, a task reassigned or cancelled, end to end through real Postgres, Redis, the
// simulator and the official SDK: an extension request's approval transferred (转交) in the
// mini-app moves the to-do (deleted for the first regulator, created for the second), the
// applicant's withdrawal deletes it, and a lightning warning lifted by the feed deletes the
// managers' to-dos. Deleted to-dos are gone from the person's list in DingTalk, not ticked off.
import request from 'supertest';
import { waitFor } from '../../helpers/runtime';
import { allTodos, todosOf, todoSuite, withUnionIds } from '../../helpers/todos';

const TOKEN = 'todo-moves-warning-token-0123456789';
const s = todoSuite({ WARNING_API_TOKEN: TOKEN });
const { as, REG, MGR } = s;
const SUN = { userId: `sun_${process.pid}`, name: '孙执法' };

/** The DingTalk to-do(s) of a row, by its sourceId (re-creations included). */
async function mirror(personId: string, subjectId: string) {
  const row = await s.t.db.prisma.todoItem.findFirstOrThrow({ where: { personId, subjectId } });
  return { row, todos: (await allTodos(s.t)).filter((x) => x.sourceId?.startsWith(row.id)) };
}

/** Waits until the person's row on the subject is `state` and DingTalk shows it so. */
async function settledAs(personId: string, subjectId: string, state: 'OPEN' | 'DELETED', what: string) {
  return waitFor(
    async () => {
      const m = await mirror(personId, subjectId).catch(() => undefined);
      if (!m || m.row.state !== state || m.row.pending) return undefined;
      const shown = m.todos.filter((x) => !x.deleted);
      return (state === 'OPEN' ? shown.length === 1 && !shown[0]!.done : shown.length === 0) ? m : undefined;
    },
    20_000,
    what,
  );
}

test('转交 moves the approval to-do to the new regulator; the applicant’s withdrawal deletes it', async () => {
  const { prisma } = s.t.db;
  const filed = await request(s.url)
    .post('/api/m/hazards')
    .set('authorization', await as(REG()))
    .send({
      unitId: s.w.unitId,
      type: 'SPD_FAIL',
      grade: 'GENERAL',
      source: 'TEST',
      description: '配电房电涌保护器劣化指示窗变红',
      deadline: '2099-03-31',
    })
    .expect(201);
  const hazardId = filed.body.hazardId as string;
  await request(s.url)
    .post(`/api/m/hazards/${hazardId}/extension`)
    .set('authorization', await as(MGR()))
    .send({ reason: '电涌保护器到货需两周', newDeadline: '2099-04-30T00:00:00+08:00' })
    .expect(201);
  const request_ = await prisma.extensionRequest.findFirstOrThrow({ where: { hazardId } });
  const approvalId = request_.approvalInstanceId!;
  await settledAs(s.w.regulatorId, approvalId, 'OPEN', "the regulator's approval to-do");

  // A second regulator of the bureau, in DingTalk too; the first hands the step over to him.
  const sun = await prisma.person.create({
    data: { name: SUN.name, roles: ['REGULATOR'], orgId: s.w.orgId, dingUserId: SUN.userId },
  });
  await withUnionIds(s.t, [{ personId: sun.id, ...SUN }]);
  const reg = await as(REG());
  const step = await prisma.approvalStep.findFirstOrThrow({ where: { instanceId: approvalId, status: 'ACTIVE' } });
  const candidates = (
    await request(s.url)
      .get(`/api/m/approvals/${approvalId}/transfer-candidates?stepId=${step.id}`)
      .set('authorization', reg)
      .expect(200)
  ).body.items as Array<{ id: string }>;
  expect(candidates.map((c) => c.id)).toContain(sun.id);
  await request(s.url)
    .post(`/api/m/approvals/${approvalId}/transfer`)
    .set('authorization', reg)
    .send({ stepId: step.id, toPersonId: sun.id, comment: '本周外出执法，请孙执法审批' })
    .expect(200);
  const gone = await settledAs(s.w.regulatorId, approvalId, 'DELETED', "the first regulator's to-do deleted");
  expect(gone.todos.map((x) => [x.done, x.deleted])).toEqual([[false, true]]);
  expect(await todosOf(s.t, REG(), true)).toEqual([]);
  const moved = await settledAs(sun.id, approvalId, 'OPEN', "the second regulator's to-do");
  expect(moved.todos[0]!.subject).toContain('整改延期');

  // The applicant withdraws: the task is cancelled, the to-do deleted (not done).
  await request(s.url)
    .post(`/api/m/approvals/${approvalId}/withdraw`)
    .set('authorization', await as(MGR()))
    .send({ reason: '设备已提前到货，无需延期' })
    .expect(200);
  const withdrawn = await settledAs(sun.id, approvalId, 'DELETED', "the second regulator's to-do deleted");
  expect(withdrawn.todos.map((x) => [x.done, x.deleted])).toEqual([[false, true]]);
  expect(await todosOf(s.t, SUN.userId, true)).toEqual([]);
});

test('a warning lifted by the feed deletes the managers’ to-dos', async () => {
  const id = '33011041600000_20261206120000_1';
  const warning = {
    id,
    level: 'ORANGE',
    regionCodes: ['330110'],
    issuedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    issuer: '杭州市余杭区气象台',
    text: '余杭区 3 小时内可能发生雷电活动',
  };
  const feed = (path: string, body: object) =>
    request(s.url).post(path).set('authorization', `Bearer ${TOKEN}`).send(body);
  await feed('/api/warnings', warning).expect(201);
  const open = await settledAs(s.w.managerId, id, 'OPEN', "the manager's warning to-do");
  expect(open.todos[0]!.priorityLabel).toBe('紧急');
  await feed(`/api/warnings/${encodeURIComponent(id)}/cancel`, {}).expect(200);
  const lifted = await settledAs(s.w.managerId, id, 'DELETED', "the manager's warning to-do deleted");
  expect(lifted.todos.map((x) => [x.done, x.deleted])).toEqual([[false, true]]);
});
