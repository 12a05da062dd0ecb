// The regulator's decision on an interview proposal (issue #6 parts 4-5): 「发起约谈」 with time and
// place creates the interview (or moves it after the unit asked to reschedule) and summons the
// unit's legal representative and managers by card and DING, with the reminders and the
// acknowledgement deadline as durable timers; 「暂不约谈」 records the reason. Each in one
// transaction with its audit event and deliveries.
import type { Effects } from '../effects';
import type { Config } from '../config';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { assertRegulatorFor } from '../authz/person-checks';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';
import { cancelTimers, setTimer } from '../timers';
import { interviewSummonsData, summonedPeople } from './summons-data';

/** Options of the interview commands. */
export interface InterviewOptions {
  config: Config;
  publicBaseUrl: string;
  now?: Date;
}

const NOT_REGULATOR = '只有气象主管机构执法人员可以决定是否约谈';

/** Timer kinds of an interview (handlers in workflows/interview/timers.ts). */
export const INTERVIEW_TIMER_KINDS = ['interview.reminder', 'interview.ack-deadline'];

async function loadAction(tx: Tx, dutyActionId: string) {
  const a = await tx.dutyAction.findUnique({ where: { id: dutyActionId }, include: { unit: true, interview: true } });
  if (!a || a.kind !== 'INTERVIEW_PROPOSAL') throw new NotFoundError('DUTY_ACTION_NOT_FOUND', '该约谈建议不存在');
  return a;
}

/** Summons deliveries and timers for the interview's current version. */
async function summon(tx: Tx, interviewId: string, opts: InterviewOptions, now: Date): Promise<string[]> {
  const iv = await tx.interview.findUniqueOrThrow({ where: { id: interviewId } });
  await cancelTimers(tx, { subjectType: 'interview', subjectId: iv.id, kinds: INTERVIEW_TIMER_KINDS });
  for (const before of opts.config.interview.remindersMs) {
    const dueAt = new Date(iv.scheduledAt.getTime() - before);
    if (dueAt > now)
      await setTimer(tx, {
        kind: 'interview.reminder',
        subjectType: 'interview',
        subjectId: iv.id,
        dueAt,
        data: { version: iv.version, beforeMs: before },
      });
  }
  if (iv.ackDueAt)
    await setTimer(tx, {
      kind: 'interview.ack-deadline',
      subjectType: 'interview',
      subjectId: iv.id,
      dueAt: iv.ackDueAt,
      data: { version: iv.version },
    });
  const data = await interviewSummonsData(tx, iv.id, opts);
  const deliveries: NewDelivery[] = [];
  for (const p of await summonedPeople(tx, iv.unitId)) {
    for (const channel of ['CARD', 'DING'] as const) {
      deliveries.push({
        purpose: channel === 'CARD' ? 'interview.summons' : 'interview.summons.ding',
        channel,
        template: 'interview-summons',
        data,
        recipientPersonId: p.id,
        priority: channel === 'DING' ? 1 : 2,
        statutory: true,
        subjectType: 'interview',
        subjectId: iv.id,
        idempotencyKey: `interview.summons|${channel}|${p.id}|${iv.id}|v${iv.version}`,
      });
    }
  }
  return addDeliveries(tx, deliveries);
}

/** 「发起约谈」: creates (or, after a reschedule request, moves) the interview and summons the unit. */
export async function scheduleInterview(
  prisma: PrismaClient,
  input: { dutyActionId: string; personId: string; time: string | Date; place: string },
  opts: InterviewOptions,
): Promise<Effects & { interviewId: string; already: boolean }> {
  const now = opts.now ?? new Date();
  const time = new Date(input.time);
  const place = (input.place ?? '').trim();
  if (Number.isNaN(time.getTime())) throw new ValidationError('请填写正确的约谈时间');
  if (time <= now) throw new ValidationError('约谈时间应晚于当前时间');
  if (place.length < 2 || place.length > 60) throw new ValidationError('请填写约谈地点（2 至 60 个字）');
  return prisma.$transaction(async (tx) => {
    const a = await loadAction(tx, input.dutyActionId);
    await assertRegulatorFor(tx, input.personId, a.unit.regionCode, NOT_REGULATOR);
    if (a.status === 'DECLINED') throw new ConflictError('DUTY_ACTION_DECIDED', '已决定暂不约谈，如需约谈请重新提出');
    const ackDueAt = new Date(Math.min(now.getTime() + opts.config.interview.ackWindowMs, time.getTime()));
    let interviewId: string;
    let action: string;
    if (a.interview && a.interview.status !== 'RESCHEDULE_REQUESTED') {
      return { interviewId: a.interview.id, deliveryIds: [], already: true };
    } else if (a.interview) {
      const moved = await tx.interview.updateMany({
        where: { id: a.interview.id, version: a.interview.version, status: 'RESCHEDULE_REQUESTED' },
        data: {
          scheduledAt: time,
          place,
          status: 'NOTIFIED',
          noticeSentAt: now,
          ackDueAt,
          rescheduleReason: null,
          version: { increment: 1 },
        },
      });
      if (moved.count === 0) throw new ConflictError('INTERVIEW_CHANGED', '约谈状态已变化，请刷新后重试');
      interviewId = a.interview.id;
      action = 'interview.rescheduled';
    } else {
      const iv = await tx.interview.create({
        data: {
          unitId: a.unitId,
          reason: a.reason,
          status: 'NOTIFIED',
          scheduledAt: time,
          place,
          noticeSentAt: now,
          ackDueAt,
          createdById: input.personId,
        },
      });
      interviewId = iv.id;
      action = 'interview.scheduled';
    }
    await tx.dutyAction.update({
      where: { id: a.id },
      data: {
        status: 'SCHEDULED',
        interviewId,
        decidedById: input.personId,
        decidedAt: now,
        version: { increment: 1 },
      },
    });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: input.personId,
      action,
      subjectType: 'interview',
      subjectId: interviewId,
      data: { dutyActionId: a.id, unitId: a.unitId, scheduledAt: time.toISOString(), place },
    });
    const deliveryIds = await summon(tx, interviewId, opts, now);
    const refresh = [
      { subjectType: 'duty-action', subjectId: a.id },
      { subjectType: 'interview', subjectId: interviewId },
    ];
    return { interviewId, deliveryIds, already: false, refresh };
  });
}

/** 「暂不约谈」 with a reason. */
export async function declineInterview(
  prisma: PrismaClient,
  input: { dutyActionId: string; personId: string; reason: string },
  opts: { now?: Date } = {},
): Promise<Effects & { dutyActionId: string }> {
  const reason = (input.reason ?? '').trim();
  if (reason.length < 2 || reason.length > 200) throw new ValidationError('请填写暂不约谈的理由（2 至 200 个字）');
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const a = await loadAction(tx, input.dutyActionId);
    await assertRegulatorFor(tx, input.personId, a.unit.regionCode, NOT_REGULATOR);
    if (a.status !== 'OPEN' || a.interview) throw new ConflictError('DUTY_ACTION_DECIDED', '该约谈建议已处理');
    await tx.dutyAction.update({
      where: { id: a.id, version: a.version },
      data: {
        status: 'DECLINED',
        declineReason: reason,
        decidedById: input.personId,
        decidedAt: now,
        version: { increment: 1 },
      },
    });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: input.personId,
      action: 'interview.declined',
      subjectType: 'duty-action',
      subjectId: a.id,
      data: { unitId: a.unitId, reason },
    });
    return { dutyActionId: a.id, deliveryIds: [], refresh: [{ subjectType: 'duty-action', subjectId: a.id }] };
  });
}
