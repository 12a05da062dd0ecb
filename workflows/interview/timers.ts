// Timer kinds of interviews (issue #6 parts 5-6), on the shared durable timers (workflows/timers).
// Each checks the version it was set for against the subject's current version and does nothing
// when the state has moved on (rescheduled, held, task done).
import type { Tx } from '../../core/db';
import { shanghaiDate } from '../../core/domain/working-days';
import { appendAudit } from '../../core/audit';
import { addDeliveries } from '../../core/outbox/add-deliveries';
import { interviewLink, shanghaiIso } from '../../core/interview/proposal-data';
import { summonedPeople } from '../../core/interview/summons-data';
import type { TimerHandler, TimerKinds } from '../timers';

function versionOf(data: unknown): number | undefined {
  const v = (data as { version?: unknown } | null)?.version;
  return typeof v === 'number' ? v : undefined;
}

function when(at: Date): string {
  return shanghaiIso(at).slice(0, 16).replace('T', ' ');
}

/**
 * 「还有 1 天 2 小时」: what a repeated reminder says that the one before did not. DingTalk drops a
 * work notice whose content it already delivered to that person today, silently (#19 item 5), so
 * each reminder carries the time left and when it was sent.
 */
export function timeLeft(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d > 0 ? `${d} 天` : '', h > 0 ? `${h} 小时` : '', d === 0 && m > 0 ? `${m} 分钟` : ''];
  return `还有 ${parts.filter(Boolean).join(' ') || '不到 1 分钟'}`;
}

async function openInterview(tx: Tx, id: string, version: number | undefined) {
  const iv = await tx.interview.findUnique({ where: { id }, include: { unit: true } });
  if (!iv || iv.version !== version || (iv.status !== 'NOTIFIED' && iv.status !== 'ACKNOWLEDGED')) return undefined;
  return iv;
}

// The day before and two hours before (INTERVIEW_REMINDERS_MS): remind every summoned person.
const remind: TimerHandler = async (tx, timer, ctx) => {
  const iv = await openInterview(tx, timer.subjectId, versionOf(timer.data));
  if (!iv) return;
  const beforeMs = Number((timer.data as { beforeMs?: number }).beforeMs ?? 0);
  const deliveryIds = await addDeliveries(
    tx,
    (await summonedPeople(tx, iv.unitId)).map((p) => ({
      purpose: `interview.reminder.${beforeMs}`,
      channel: 'WORK_NOTICE' as const,
      template: 'interview-reminder',
      data: {
        unit: { name: iv.unit.name },
        scheduledAt: when(iv.scheduledAt),
        place: iv.place,
        timeLeft: timeLeft(ctx.now, iv.scheduledAt),
        sentAt: when(ctx.now).slice(11),
        links: { detail: interviewLink(ctx.publicBaseUrl, iv.id) },
      },
      recipientPersonId: p.id,
      priority: 2,
      statutory: true,
      subjectType: 'interview',
      subjectId: iv.id,
      idempotencyKey: `interview.reminder|${p.id}|${iv.id}|v${iv.version}|${beforeMs}`,
    })),
  );
  return { deliveryIds };
};

// Nobody confirmed in time: the regulator who summoned is told.
const ackDeadline: TimerHandler = async (tx, timer, ctx) => {
  const iv = await openInterview(tx, timer.subjectId, versionOf(timer.data));
  if (!iv || iv.status !== 'NOTIFIED') return;
  await appendAudit(tx, {
    actorKind: 'SYSTEM',
    action: 'interview.ack-missed',
    subjectType: 'interview',
    subjectId: iv.id,
    data: { version: iv.version },
  });
  const deliveryIds = await addDeliveries(tx, [
    {
      purpose: 'interview.ack-missed',
      channel: 'WORK_NOTICE',
      template: 'interview-ack-missed',
      data: {
        unit: { name: iv.unit.name },
        scheduledAt: when(iv.scheduledAt),
        links: { detail: interviewLink(ctx.publicBaseUrl, iv.id) },
      },
      recipientPersonId: iv.createdById,
      priority: 2,
      statutory: true,
      subjectType: 'interview',
      subjectId: iv.id,
      idempotencyKey: `interview.ack-missed|${iv.id}|v${iv.version}`,
    },
  ]);
  return { deliveryIds };
};

async function openTask(tx: Tx, id: string, version: number | undefined) {
  const task = await tx.interviewTask.findUnique({
    where: { id },
    include: { interview: { include: { unit: true } } },
  });
  if (!task || task.doneAt || task.version !== version) return undefined;
  return task;
}

// A commitment's deadline is near: remind the unit.
const taskRemind: TimerHandler = async (tx, timer, ctx) => {
  const task = await openTask(tx, timer.subjectId, versionOf(timer.data));
  if (!task) return;
  const deliveryIds = await addDeliveries(
    tx,
    (await summonedPeople(tx, task.interview.unitId)).map((p) => ({
      purpose: 'interview.task-reminder',
      channel: 'WORK_NOTICE' as const,
      template: 'interview-task-reminder',
      data: {
        unit: { name: task.interview.unit.name },
        task: task.text,
        dueOn: shanghaiDate(task.dueAt),
        timeLeft: timeLeft(ctx.now, task.dueAt),
        links: { detail: interviewLink(ctx.publicBaseUrl, task.interviewId) },
      },
      recipientPersonId: p.id,
      priority: 4,
      subjectType: 'interview-task',
      subjectId: task.id,
    })),
  );
  return { deliveryIds };
};

// A commitment is overdue: the unit and the regulator are told.
const taskOverdue: TimerHandler = async (tx, timer, ctx) => {
  const task = await openTask(tx, timer.subjectId, versionOf(timer.data));
  if (!task) return;
  await appendAudit(tx, {
    actorKind: 'SYSTEM',
    action: 'interview.task-overdue',
    subjectType: 'interview',
    subjectId: task.interviewId,
    data: { taskId: task.id },
  });
  const recipients = [
    ...(await summonedPeople(tx, task.interview.unitId)).map((p) => p.id),
    task.interview.createdById,
  ];
  const deliveryIds = await addDeliveries(
    tx,
    recipients.map((id) => ({
      purpose: 'interview.task-overdue',
      channel: 'WORK_NOTICE' as const,
      template: 'interview-task-overdue',
      data: {
        unit: { name: task.interview.unit.name },
        task: task.text,
        dueOn: shanghaiDate(task.dueAt),
        links: { detail: interviewLink(ctx.publicBaseUrl, task.interviewId) },
      },
      recipientPersonId: id,
      priority: 3,
      statutory: true,
      subjectType: 'interview-task',
      subjectId: task.id,
    })),
  );
  return { deliveryIds };
};

/** Timer kinds of interviews (listed in workflows/timers/kinds.ts). */
export const INTERVIEW_TIMERS = {
  'interview.reminder': remind,
  'interview.ack-deadline': ackDeadline,
  'interview.task-reminder': taskRemind,
  'interview.task-overdue': taskOverdue,
} satisfies TimerKinds;
