// Timers follow the hazard's state (issue #4 part 6): while the unit still has to act, reminders
// before the deadline (only before a submission), the overdue notice at the deadline and the
// escalation after it; a change of deadline or of the rectification state cancels them and sets
// the new ones. Each timer carries the hazard's scheduleVersion, so one that fires for a schedule
// that has moved on does nothing (workflows/hazard/timers.ts).
import type { PrismaClient, Tx } from '../db';
import { Prisma, type Hazard } from '../db/generated/client';
import { cancelTimers, setTimer, type TimerSpec } from '../timers';
import {
  escalationDue,
  overdueDue,
  planFromSettings,
  planOf,
  reminderDue,
  type HazardPlan,
  type PlanSettings,
} from './plan';

/** Timer kinds of the hazard loop. */
export const HAZARD_TIMER_KINDS = ['hazard.reminder', 'hazard.overdue', 'hazard.escalate'] as const;

/** Defaults of the settings (core/config.ts documents them), for callers that pass none. */
export const DEFAULT_PLAN_SETTINGS: PlanSettings = {
  reminderOffsets: '3wd,1wd,0wd',
  escalateAfterOverdue: '5',
  reminderAt: '08:30',
};

/** The timers a hazard should have now (pure). */
export function hazardTimerSpecs(
  h: Pick<Hazard, 'id' | 'status' | 'deadline' | 'scheduleVersion'>,
  plan: HazardPlan,
  now: Date,
): TimerSpec[] {
  const base = { subjectType: 'hazard', subjectId: h.id } as const;
  const specs: TimerSpec[] = [];
  if (h.status === 'PENDING' || h.status === 'FIXING') {
    for (const offset of plan.reminders) {
      specs.push({
        ...base,
        kind: 'hazard.reminder',
        dueAt: reminderDue(plan, offset, h.deadline),
        data: { version: h.scheduleVersion, offset },
      });
    }
    specs.push({
      ...base,
      kind: 'hazard.overdue',
      dueAt: overdueDue(plan, h.deadline),
      data: { version: h.scheduleVersion },
    });
  }
  if (h.status === 'PENDING' || h.status === 'FIXING' || h.status === 'OVERDUE') {
    specs.push({
      ...base,
      kind: 'hazard.escalate',
      dueAt: escalationDue(plan, h.deadline),
      data: { version: h.scheduleVersion },
    });
  }
  // A reminder whose time has passed is not sent late; overdue and escalation still happen.
  return specs.filter((s) => s.kind !== 'hazard.reminder' || s.dueAt.getTime() > now.getTime());
}

/**
 * Makes the hazard's pending timers match its state, in the caller's transaction. A hazard without
 * a stored plan (one written outside fileHazard) gets the plan of `settings` now, and keeps it.
 */
export async function syncHazardTimers(tx: Tx, hazard: Hazard, now: Date, settings: PlanSettings): Promise<void> {
  let plan = planOf(hazard.plan, settings);
  if (!hazard.plan) {
    plan = planFromSettings(settings);
    await tx.hazard.update({ where: { id: hazard.id }, data: { plan: plan as unknown as Prisma.InputJsonValue } });
  }
  await cancelTimers(tx, { subjectType: 'hazard', subjectId: hazard.id, kinds: [...HAZARD_TIMER_KINDS] });
  for (const spec of hazardTimerSpecs(hazard, plan, now)) await setTimer(tx, spec);
}

/**
 * Gives hazards filed before plans were stored the plan of the site's settings (once, at
 * start-up), so that no later command needs the settings to reschedule them.
 */
export async function storeMissingPlans(prisma: PrismaClient, settings: PlanSettings): Promise<number> {
  const plan = planFromSettings(settings) as unknown as Prisma.InputJsonValue;
  const res = await prisma.hazard.updateMany({ where: { plan: { equals: Prisma.DbNull } }, data: { plan } });
  return res.count;
}
