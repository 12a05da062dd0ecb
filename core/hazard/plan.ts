// The reminder and escalation plan of a hazard (issue #4 parts 3, 4 and 6). The plan in force when
// a hazard is filed is stored on the hazard, so a later change of the site's settings does not
// move the timers of hazards already running.
//
// Offsets: `<n>wd` = n working days (Chinese holiday calendar, Asia/Shanghai), at the configured
// reminder time of that day (`0wd` = the morning of the deadline day); `<n>s|m|h` = a plain
// duration (demos and tests shorten the plan this way). A bare number means working days.
import { z } from 'zod';
import { ValidationError } from '../errors';
import { addWorkingDaysToDay, shanghaiDate, startOfShanghaiDay } from '../domain/working-days';
import type { Settings } from '../config';

/** One offset, parsed. */
export type Offset = { kind: 'wd'; n: number } | { kind: 'ms'; ms: number };

/** The plan a hazard keeps from its filing. */
export const hazardPlanSchema = z.object({
  /** Before the deadline, e.g. ['3wd', '1wd', '0wd']. */
  reminders: z.array(z.string()).max(10),
  /** After the deadline: the hazard is escalated (flagged for an interview), e.g. '5wd'. */
  escalateAfter: z.string(),
  /** Time of day of working-day offsets, HH:mm Asia/Shanghai. */
  remindAt: z.string().regex(/^\d{2}:\d{2}$/),
});

/** The plan a hazard keeps from its filing. */
export type HazardPlan = z.output<typeof hazardPlanSchema>;

const OFFSET = /^(\d{1,4})(wd|s|m|h)?$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3600_000 } as const;

/** Parses one offset; throws ValidationError naming it. */
export function parseOffset(text: string): Offset {
  const m = OFFSET.exec(text.trim());
  if (!m) throw new ValidationError(`提醒偏移量格式不正确：${text}（应为 3wd、0wd、90s、10m 或 2h）`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'wd';
  return unit === 'wd' ? { kind: 'wd', n } : { kind: 'ms', ms: n * UNIT_MS[unit as keyof typeof UNIT_MS] };
}

/** A comma list of offsets (config value), validated. */
export function parseOffsetList(text: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const i of items) parseOffset(i);
  return items;
}

/** Settings the plan is taken from (config.hazard). */
export type PlanSettings = Pick<Settings<'hazard'>, 'reminderOffsets' | 'escalateAfterOverdue' | 'reminderAt'>;

/** The plan the site's settings give today. */
export function planFromSettings(s: PlanSettings): HazardPlan {
  const escalateAfter = s.escalateAfterOverdue.trim();
  parseOffset(escalateAfter);
  return { reminders: parseOffsetList(s.reminderOffsets), escalateAfter, remindAt: s.reminderAt };
}

/** The stored plan of a hazard, or the settings' plan for hazards filed before plans were stored. */
export function planOf(stored: unknown, s: PlanSettings): HazardPlan {
  const p = hazardPlanSchema.safeParse(stored);
  return p.success ? p.data : planFromSettings(s);
}

function atTimeOfDay(day: string, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(startOfShanghaiDay(day).getTime() + (h! * 60 + m!) * 60_000);
}

/** When a reminder `offset` before `deadline` is due. */
export function reminderDue(plan: HazardPlan, offset: string, deadline: Date): Date {
  const o = parseOffset(offset);
  if (o.kind === 'ms') return new Date(deadline.getTime() - o.ms);
  // The morning of the n-th working day before the deadline's day (0 = the deadline's own day).
  return atTimeOfDay(addWorkingDaysToDay(shanghaiDate(deadline), -o.n), plan.remindAt);
}

/** When an overdue hazard is escalated. */
export function escalationDue(plan: HazardPlan, deadline: Date): Date {
  const o = parseOffset(plan.escalateAfter);
  // A duration counts from when the hazard became overdue, so escalation never precedes it.
  if (o.kind === 'ms') return new Date(overdueDue(plan, deadline).getTime() + o.ms);
  // At the start of the (n+1)-th working day after the deadline's day: n full working days overdue.
  return startOfShanghaiDay(addWorkingDaysToDay(shanghaiDate(deadline), o.n + 1));
}

/** When a hazard still open at its deadline becomes overdue and people are told. */
export function overdueDue(plan: HazardPlan, deadline: Date): Date {
  // A deadline at the end of a day (working-day deadlines) is told the next morning, not at midnight.
  const endOfDay = deadline.getTime() === startOfShanghaiDay(deadline).getTime() + 86_400_000 - 1;
  if (!endOfDay) return new Date(deadline.getTime() + 1);
  return atTimeOfDay(shanghaiDate(new Date(deadline.getTime() + 1)), plan.remindAt);
}
