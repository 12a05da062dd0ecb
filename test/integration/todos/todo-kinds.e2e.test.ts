// Issue #21 item 1, the kinds of task beyond a hazard's, end to end through real Postgres, Redis,
// the simulator and the official SDK: a self-check due, a lightning warning to acknowledge and an
// interview to confirm each become the owers' DingTalk to-dos (subject, due time, priority, the
// mini-app page they open, which is also among the person's tasks in 「我的待办」); doing the task on
// that page completes them. For the interview: one summoned person confirms on the page, the other
// asks there to reschedule (their to-do done, the regulator's 改期 to-do opens), the regulator sets
// the new time on the same page (done) and both confirmation to-dos open again, due by the new
// confirmation deadline.
import request from 'supertest';
import { waitFor } from '../../helpers/runtime';
import { linkPath, taskPages, todosOf, todoSuite, type SimTodo } from '../../helpers/todos';

const TOKEN = 'todo-kinds-warning-token-0123456789';
const s = todoSuite({ WARNING_API_TOKEN: TOKEN });
const { as, REG, MGR, REP } = s;

/** The person's open to-dos once their subjects are exactly `subjects` (any order). */
async function openTodos(userId: string, subjects: string[], what: string): Promise<SimTodo[]> {
  return waitFor(
    async () => {
      const todos = await todosOf(s.t, userId, true);
      const got = todos.map((x) => x.subject).sort();
      return JSON.stringify(got) === JSON.stringify([...subjects].sort()) ? todos : undefined;
    },
    20_000,
    what,
  );
}

test('a self-check due: the managers’ to-do opens the inspection; submitting it there completes it', async () => {
  const unit = await s.t.db.prisma.unit.findUniqueOrThrow({ where: { id: s.w.unitId } });
  await s.t.runtime.queues.enqueue('inspection.self-check', { at: new Date().toISOString() });
  const subject = `${unit.name}：防雷安全自查待完成`;
  const [todo] = await openTodos(MGR(), [subject], "the manager's self-check to-do");
  const insp = await s.t.db.prisma.inspection.findFirstOrThrow({ where: { unitId: s.w.unitId, mode: 'SELF_CHECK' } });
  expect(linkPath(todo!)).toBe(`/m/inspections/${insp.id}`);
  expect(todo!.priorityLabel).toBe('普通');
  expect(todo!.description).toContain('不符合的项目会登记为隐患');
  expect(await taskPages(s, MGR())).toContain(`/m/inspections/${insp.id}`);
  expect(await todosOf(s.t, REP())).toEqual([]); // self-checks go to the managers

  const mgr = await as(MGR());
  const page = await request(s.url).get(`/api/m/inspections/${insp.id}`).set('authorization', mgr).expect(200);
  const items = (page.body.inspection.items as Array<{ key: string }>).map((i) => ({ key: i.key, result: 'PASS' }));
  await request(s.url)
    .post(`/api/m/inspections/${insp.id}/submit`)
    .set('authorization', mgr)
    .send({ items })
    .expect(200);
  await openTodos(MGR(), [], 'the self-check to-do done');
  expect((await todosOf(s.t, MGR())).map((x) => [x.id, x.done])).toEqual([[todo!.id, true]]);
});

test('a red warning: each manager’s to-do, 非常紧急 and due at expiry; 「收到」 on its page completes it', async () => {
  const unit = await s.t.db.prisma.unit.findUniqueOrThrow({ where: { id: s.w.unitId } });
  const id = '33011041600000_20261206100000_1';
  const expiresAt = new Date(Date.now() + 2 * 3600_000);
  await request(s.url)
    .post('/api/warnings')
    .set('authorization', `Bearer ${TOKEN}`)
    .send({
      id,
      level: 'RED',
      regionCodes: ['330110'],
      issuedAt: new Date().toISOString(),
      expiresAt: expiresAt.toISOString(),
      issuer: '杭州市余杭区气象台',
      text: '余杭区 2 小时内发生雷电活动的可能性非常大',
    })
    .expect(201);
  const [todo] = await openTodos(
    MGR(),
    [`${unit.name}：雷电红色预警，请落实防范措施并确认`],
    "the manager's warning to-do",
  );
  expect(todo!.priorityLabel).toBe('非常紧急');
  expect(todo!.dueTime).toBe(expiresAt.getTime());
  expect(linkPath(todo!)).toBe(`/m/warnings/${id}`);
  expect(await taskPages(s, MGR())).toContain(`/m/warnings/${id}`);

  const link = new URL(todo!.detailUrl!.appUrl!);
  await request(s.url)
    .post(`/api/m/warnings/${encodeURIComponent(id)}/ack`)
    .set('authorization', await as(MGR()))
    .send({ from: link.searchParams.get('from') })
    .expect(200);
  await openTodos(MGR(), [], 'the warning to-do done');
  expect((await todosOf(s.t, MGR())).find((x) => x.id === todo!.id)?.done).toBe(true);
});

test('an interview: confirmation to-dos, a reschedule asked and answered on the page, the to-dos follow', async () => {
  const { prisma } = s.t.db;
  const unit = await prisma.unit.findUniqueOrThrow({ where: { id: s.w.unitId } });
  await prisma.dutyAction.create({
    data: {
      unitId: s.w.unitId,
      kind: 'INTERVIEW_PROPOSAL',
      period: '2026-11',
      triggers: ['BOTTOM'],
      reason: '连续两期责任落实排名末位',
    },
  });
  const { scheduleInterview } = await import('../../../core/interview/schedule');
  const action = await prisma.dutyAction.findFirstOrThrow({ where: { unitId: s.w.unitId } });
  const opts = { config: s.t.runtime.deps.config, publicBaseUrl: s.t.runtime.deps.publicBaseUrl };
  const time = new Date(Date.now() + 5 * 86_400_000);
  const { interviewId } = await scheduleInterview(
    prisma,
    { dutyActionId: action.id, personId: s.w.regulatorId, time, place: '区气象局 3 楼会议室' },
    opts,
  );
  const confirm = `${unit.name}：约谈通知待确认参加`;
  const [mgrTodo] = await openTodos(MGR(), [confirm], "the manager's confirmation to-do");
  const [repTodo] = await openTodos(REP(), [confirm], "the legal representative's confirmation to-do");
  const iv = await prisma.interview.findUniqueOrThrow({ where: { id: interviewId } });
  for (const todo of [mgrTodo!, repTodo!]) {
    expect(linkPath(todo)).toBe(`/m/interviews/${interviewId}`);
    expect(todo.dueTime).toBe(iv.ackDueAt!.getTime());
    expect(todo.priorityLabel).toBe('紧急');
  }
  expect(await taskPages(s, REP())).toContain(`/m/interviews/${interviewId}`);
  const page = (userId: string) =>
    as(userId).then((auth) => request(s.url).get(`/api/m/interviews/${interviewId}`).set('authorization', auth));
  expect((await page(MGR())).body).toMatchObject({
    canConfirm: true,
    canRequestReschedule: true,
    canReschedule: false,
  });

  // The manager confirms on the page: his to-do is done, the legal representative's stays.
  await request(s.url)
    .post(`/api/m/interviews/${interviewId}/confirm`)
    .set('authorization', await as(MGR()))
    .expect(200);
  await openTodos(MGR(), [], "the manager's confirmation done");
  expect((await page(MGR())).body).toMatchObject({ canConfirm: false, confirmedBy: ['李经理'] });
  await openTodos(REP(), [confirm], "the legal representative's still open");

  // The legal representative asks to reschedule: the regulator owes the answer.
  await request(s.url)
    .post(`/api/m/interviews/${interviewId}/reschedule-request`)
    .set('authorization', await as(REP()))
    .send({ reason: '法定代表人当日出差，申请改至下周' })
    .expect(200);
  await openTodos(REP(), [], "the legal representative's confirmation ended");
  const [answer] = await openTodos(REG(), [`${unit.name}：申请约谈改期，待处理`], "the regulator's 改期 to-do");
  expect(answer!.description).toContain('理由：法定代表人当日出差，申请改至下周');
  expect(linkPath(answer!)).toBe(`/m/interviews/${interviewId}`);
  expect(await taskPages(s, REG())).toContain(`/m/interviews/${interviewId}`);
  expect((await page(REG())).body).toMatchObject({ canReschedule: true, canRecordOutcome: false });

  // The regulator sets the new time on the page: done; both are asked to confirm again.
  const later = new Date(Date.now() + 9 * 86_400_000);
  await request(s.url)
    .post(`/api/m/interviews/${interviewId}/reschedule`)
    .set('authorization', await as(REG()))
    .send({ time: later.toISOString(), place: '区气象局 2 楼会议室' })
    .expect(200);
  await openTodos(REG(), [], "the regulator's 改期 to-do done");
  const moved = await prisma.interview.findUniqueOrThrow({ where: { id: interviewId } });
  expect(moved.status).toBe('NOTIFIED');
  expect(moved.version).toBeGreaterThan(iv.version);
  for (const userId of [MGR(), REP()]) {
    const [again] = await openTodos(userId, [confirm], 'confirmation asked again');
    expect(again!.dueTime).toBe(moved.ackDueAt!.getTime());
    expect(again!.description).toContain('地点：区气象局 2 楼会议室');
  }
  // An answer nobody asked for is refused, in Chinese, and changes nothing.
  const refused = await request(s.url)
    .post(`/api/m/interviews/${interviewId}/reschedule`)
    .set('authorization', await as(REG()))
    .send({ time: later.toISOString(), place: '别处' })
    .expect(409);
  expect(refused.body.error.message).toBe('单位未申请改期，该约谈当前无需改期');
  expect((await prisma.interview.findUniqueOrThrow({ where: { id: interviewId } })).place).toBe('区气象局 2 楼会议室');
});
