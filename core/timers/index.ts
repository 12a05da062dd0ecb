// Durable timers, the core side: a timer is a Timer row written in the caller's transaction, next
// to the state change that sets it (a reminder before a deadline, an escalation after it).
// Postgres holds the truth; workflows/timers fires due rows through BullMQ. A timer carries the
// subject's version in its data so that its handler can tell when the state has moved on.
import type { Tx } from '../db';
import type { Prisma } from '../db/generated/client';

/** A timer to set. (kind, subjectType, subjectId, dueAt) identifies it. */
export interface TimerSpec {
  /** Handler name, e.g. `hazard.reminder`; listed in workflows/timers/kinds.ts. */
  kind: string;
  subjectType: string;
  subjectId: string;
  dueAt: Date;
  /** Anything the handler needs, typically `{ version }` of the subject when the timer was set. */
  data?: Prisma.InputJsonValue;
}

/**
 * Sets a timer in the caller's transaction. Setting the same timer again is harmless: it stays
 * one row, PENDING, with the newest data (a cancelled one is set again).
 */
export async function setTimer(tx: Tx, spec: TimerSpec): Promise<string> {
  const key = { kind: spec.kind, subjectType: spec.subjectType, subjectId: spec.subjectId, dueAt: spec.dueAt };
  const row = await tx.timer.upsert({
    where: { kind_subjectType_subjectId_dueAt: key },
    create: { ...key, data: spec.data },
    update: { status: 'PENDING', data: spec.data, firedAt: null },
    select: { id: true },
  });
  return row.id;
}

/** What cancelTimers matches: a subject's pending timers, optionally only some kinds. */
export interface TimerFilter {
  subjectType: string;
  subjectId: string;
  kinds?: string[];
}

/** Cancels a subject's pending timers in the caller's transaction; returns how many. */
export async function cancelTimers(tx: Tx, filter: TimerFilter): Promise<number> {
  const res = await tx.timer.updateMany({
    where: {
      subjectType: filter.subjectType,
      subjectId: filter.subjectId,
      status: 'PENDING',
      ...(filter.kinds ? { kind: { in: filter.kinds } } : {}),
    },
    data: { status: 'CANCELLED' },
  });
  return res.count;
}
