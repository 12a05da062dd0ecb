// Timer kinds of the hazard loop (core/hazard/schedule.ts sets them; core/hazard/deadline-events.ts
// says what they do). Each handler runs in the timer's transaction and ignores a timer whose
// hazard schedule has moved on.
import type { Timer } from '../../core/db/generated/client';
import { escalateHazard, markOverdue, remindHazard, type DeadlineEventResult } from '../../core/hazard/deadline-events';
import type { TimerContext, TimerHandler, TimerKinds, TimerResult } from '../timers';

function data(timer: Timer): { version?: unknown; offset?: unknown } {
  return timer.data && typeof timer.data === 'object' && !Array.isArray(timer.data)
    ? (timer.data as Record<string, unknown>)
    : {};
}

function result(timer: Timer, r: DeadlineEventResult): TimerResult {
  // A changed hazard shows its new state on every card (refreshed after commit).
  return {
    deliveryIds: r.deliveryIds,
    refresh: r.changed ? [{ subjectType: 'hazard', subjectId: timer.subjectId }] : [],
  };
}

const ctxOf = (ctx: TimerContext) => ({ now: ctx.now, publicBaseUrl: ctx.publicBaseUrl });

const remind: TimerHandler = async (tx, timer, ctx) =>
  result(timer, await remindHazard(tx, timer.subjectId, data(timer), ctxOf(ctx)));
const overdue: TimerHandler = async (tx, timer, ctx) =>
  result(timer, await markOverdue(tx, timer.subjectId, data(timer), ctxOf(ctx)));
const escalate: TimerHandler = async (tx, timer, ctx) =>
  result(timer, await escalateHazard(tx, timer.subjectId, data(timer), ctxOf(ctx)));

// Earlier releases set this timer, due at once, from the 整改延期 outcome hook to get its notices
// sent; the hook now hands them back to the engine's caller. Kept so that such a timer still
// waiting after an upgrade is carried out.
const extensionDecided: TimerHandler = async (_tx, timer) => {
  const ids = (data(timer) as { deliveryIds?: unknown }).deliveryIds;
  return {
    deliveryIds: Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [],
    refresh: [{ subjectType: 'hazard', subjectId: timer.subjectId }],
  };
};

/** Timer kinds of the hazard loop (listed in workflows/timers/kinds.ts). */
export const HAZARD_TIMERS = {
  'hazard.reminder': remind,
  'hazard.overdue': overdue,
  'hazard.escalate': escalate,
  'hazard.extension-decided': extensionDecided,
} satisfies TimerKinds;
