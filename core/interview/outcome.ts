// The interview's outcome (issue #6 part 6): the regulator records what was said (约谈纪要) and
// the unit's commitments, each a follow-up task with a deadline, reminded like a hazard (timers
// before and at the deadline); the interview closes when every task is done.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { addWorkingDays, shanghaiDate } from '../domain/working-days';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../errors';
import { assertRegulatorFor } from '../authz/person-checks';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';
import { cancelTimers, setTimer } from '../timers';
import { interviewLink } from './proposal-data';
import { INTERVIEW_TIMER_KINDS, type InterviewOptions } from './schedule';
import { summonedPeople } from './summons-data';

/** Timer kinds of a follow-up task. */
export const TASK_TIMER_KINDS = ['interview.task-reminder', 'interview.task-overdue'];

/** The outcome as the regulator enters it. */
export const outcomeInput = z.object({
  record: z.string().trim().min(4, '请填写约谈纪要（至少 4 个字）').max(2000),
  commitments: z
    .array(
      z.object({
        text: z.string().trim().min(2, '请填写整改承诺').max(200),
        dueAt: z.coerce.date({ message: '请填写正确的整改期限' }),
      }),
    )
    .max(20, '整改承诺不超过 20 项'),
});

/** Records the outcome ({ record, commitments } as entered); returns the tasks and the deliveries to dispatch. */
export async function recordOutcome(
  prisma: PrismaClient,
  input: { interviewId: string; personId: string },
  raw: unknown,
  opts: InterviewOptions,
) {
  const parsed = outcomeInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '约谈结果');
  const now = opts.now ?? new Date();
  for (const c of parsed.data.commitments)
    if (c.dueAt <= now) throw new ValidationError('整改承诺的期限应晚于当前时间');
  return prisma.$transaction(async (tx) => {
    const iv = await tx.interview.findUnique({
      where: { id: input.interviewId },
      include: { unit: true, dutyAction: true },
    });
    if (!iv) throw new NotFoundError('INTERVIEW_NOT_FOUND', '该约谈不存在');
    await assertRegulatorFor(tx, input.personId, iv.unit.regionCode, '只有气象主管机构执法人员可以登记约谈结果');
    if (iv.status !== 'NOTIFIED' && iv.status !== 'ACKNOWLEDGED')
      throw new ConflictError('INTERVIEW_NOT_OPEN', '该约谈当前不能登记结果');
    const closed = parsed.data.commitments.length === 0;
    await tx.interview.update({
      where: { id: iv.id, version: iv.version },
      data: {
        status: closed ? 'CLOSED' : 'HELD',
        heldAt: now,
        closedAt: closed ? now : null,
        record: parsed.data.record,
        commitments: parsed.data.commitments.map((c) => ({ text: c.text, dueAt: c.dueAt.toISOString() })),
        reportDueAt: addWorkingDays(now, opts.config.interview.reportWorkingDays),
        version: { increment: 1 },
      },
    });
    await cancelTimers(tx, { subjectType: 'interview', subjectId: iv.id, kinds: INTERVIEW_TIMER_KINDS });
    const tasks: Array<{ id: string; text: string; dueAt: Date }> = [];
    for (const c of parsed.data.commitments) {
      const task = await tx.interviewTask.create({ data: { interviewId: iv.id, text: c.text, dueAt: c.dueAt } });
      const remindAt = new Date(c.dueAt.getTime() - opts.config.interview.taskRemindBeforeMs);
      if (remindAt > now)
        await setTimer(tx, {
          kind: 'interview.task-reminder',
          subjectType: 'interview-task',
          subjectId: task.id,
          dueAt: remindAt,
          data: { version: task.version },
        });
      await setTimer(tx, {
        kind: 'interview.task-overdue',
        subjectType: 'interview-task',
        subjectId: task.id,
        dueAt: c.dueAt,
        data: { version: task.version },
      });
      tasks.push(task);
    }
    if (closed && iv.dutyAction)
      await tx.dutyAction.update({
        where: { id: iv.dutyAction.id },
        data: { status: 'DONE', version: { increment: 1 } },
      });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: input.personId,
      action: 'interview.held',
      subjectType: 'interview',
      subjectId: iv.id,
      data: { tasks: tasks.map((t) => t.id), closed },
    });
    const deliveries: NewDelivery[] = (await summonedPeople(tx, iv.unitId)).map((p) => ({
      purpose: 'interview.outcome',
      channel: 'WORK_NOTICE',
      template: 'interview-outcome',
      data: {
        unit: { name: iv.unit.name },
        heldOn: shanghaiDate(now),
        record: parsed.data.record.slice(0, 400),
        tasks: tasks.map((t) => ({ text: t.text, dueOn: shanghaiDate(t.dueAt) })),
        reportWorkingDays: opts.config.interview.reportWorkingDays,
        links: { detail: interviewLink(opts.publicBaseUrl, iv.id) },
      },
      recipientPersonId: p.id,
      priority: 3,
      statutory: true,
      subjectType: 'interview',
      subjectId: iv.id,
    }));
    const deliveryIds = await addDeliveries(tx, deliveries);
    const refresh = [{ subjectType: 'interview', subjectId: iv.id }];
    return { interviewId: iv.id, taskIds: tasks.map((t) => t.id), closed, deliveryIds, refresh };
  });
}

/** A unit person marks a follow-up task done; the interview closes with its last task. */
export async function completeTask(
  prisma: PrismaClient,
  input: { taskId: string; personId: string; note?: string },
  opts: InterviewOptions,
) {
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const task = await tx.interviewTask.findUnique({
      where: { id: input.taskId },
      include: { interview: { include: { dutyAction: true, unit: true } } },
    });
    if (!task) throw new NotFoundError('INTERVIEW_TASK_NOT_FOUND', '该整改任务不存在');
    const person = await tx.person.findUnique({ where: { id: input.personId } });
    const ofUnit =
      person?.active &&
      person.unitId === task.interview.unitId &&
      person.roles.some((r) => r === 'UNIT_MANAGER' || r === 'LEGAL_REP');
    if (!ofUnit) throw new PermissionError('只有被约谈单位的法定代表人或负责人可以办结整改任务');
    const base = { taskId: task.id, interviewId: task.interviewId };
    if (task.doneAt)
      return { ...base, closed: task.interview.status === 'CLOSED', deliveryIds: [] as string[], already: true };
    await tx.interviewTask.update({
      where: { id: task.id, version: task.version },
      data: {
        doneAt: now,
        doneById: input.personId,
        note: input.note?.trim().slice(0, 300) || null,
        version: { increment: 1 },
      },
    });
    await cancelTimers(tx, { subjectType: 'interview-task', subjectId: task.id, kinds: TASK_TIMER_KINDS });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: input.personId,
      action: 'interview.task-done',
      subjectType: 'interview',
      subjectId: task.interviewId,
      data: { taskId: task.id },
    });
    const open = await tx.interviewTask.count({ where: { interviewId: task.interviewId, doneAt: null } });
    if (open > 0) return { ...base, closed: false, deliveryIds: [] as string[], already: false };
    await tx.interview.update({
      where: { id: task.interviewId },
      data: { status: 'CLOSED', closedAt: now, version: { increment: 1 } },
    });
    if (task.interview.dutyAction)
      await tx.dutyAction.update({
        where: { id: task.interview.dutyAction.id },
        data: { status: 'DONE', version: { increment: 1 } },
      });
    await appendAudit(tx, {
      actorKind: 'SYSTEM',
      action: 'interview.closed',
      subjectType: 'interview',
      subjectId: task.interviewId,
      data: { unitId: task.interview.unitId },
    });
    const deliveryIds = await addDeliveries(tx, [
      {
        purpose: 'interview.closed',
        channel: 'WORK_NOTICE',
        template: 'interview-closed',
        data: {
          unit: { name: task.interview.unit.name },
          links: { detail: interviewLink(opts.publicBaseUrl, task.interviewId) },
        },
        recipientPersonId: task.interview.createdById,
        priority: 5,
        subjectType: 'interview',
        subjectId: task.interviewId,
      },
    ]);
    return {
      ...base,
      closed: true,
      deliveryIds,
      already: false,
      refresh: [{ subjectType: 'interview', subjectId: task.interviewId }],
    };
  });
}
