// The hazard loop (issue #4): reminders, escalation and rework deadlines.
import { z } from 'zod';
import { clockTime, planOffset, planOffsets } from './shapes';
import { setting } from './setting';

/** Hazard plan settings (new hazards take their plan from them and keep it). */
export const hazardSettings = {
  /**
   * Reminders before the rectification deadline (comma list): `<n>wd` = n working days before, at
   * HAZARD_REMINDER_AT (`0wd` = the morning of the deadline day); `<n>s|m|h` = a duration before
   * the deadline (demos and tests). Issue #4: 3 working days, 1 working day, the morning.
   */
  reminderOffsets: setting('HAZARD_REMINDER_OFFSETS', planOffsets.default('3wd,1wd,0wd')),
  /** Time of day of working-day reminders (HH:mm, Asia/Shanghai). */
  reminderAt: setting('HAZARD_REMINDER_AT', clockTime('08:30').default('08:30')),
  /**
   * Overdue hazards are escalated (ESCALATED, flagged for an interview) after this many working days
   * overdue; also accepts a duration such as `30s` (demos and tests). UNCONFIRMED default: 5.
   */
  escalateAfterOverdue: setting('HAZARD_ESCALATE_AFTER_OVERDUE_DAYS', planOffset.default('5')),
  /** New deadline after a rejected rectification, in working days from the rejection. */
  reworkWorkingDays: setting('HAZARD_REWORK_WORKING_DAYS', z.coerce.number().int().min(1).max(60).default(5)),
} as const;
