// Interviews (约谈, issue #6 parts 4-6): proposal date, reminders, the written report.
import { z } from 'zod';
import { clockTime, csvNumbers, positiveInt } from './shapes';
import { setting } from './setting';

/** Interview settings. */
export const interviewSettings = {
  /** Suggested interview date: this many working days after the proposal, at INTERVIEW_DEFAULT_TIME. */
  leadWorkingDays: setting('INTERVIEW_LEAD_WORKING_DAYS', z.coerce.number().int().min(1).max(30).default(5)),
  defaultTime: setting('INTERVIEW_DEFAULT_TIME', clockTime('09:30').default('09:30')),
  /** Reminders to the summoned people, in ms before the interview (default the day before and 2 h before). */
  remindersMs: setting(
    'INTERVIEW_REMINDERS_MS',
    csvNumbers(z.number().int().positive(), { min: 1, max: 5 }).default([86_400_000, 7_200_000]),
  ),
  /**
   * Summoned people confirm within this long after the summons (never later than the interview),
   * else the regulator is told.
   */
  ackWindowMs: setting('INTERVIEW_ACK_WINDOW_MS', positiveInt.default(86_400_000)),
  /** Working days after the interview for the written rectification report (安委〔2018〕2号 practice: 5). */
  reportWorkingDays: setting('INTERVIEW_REPORT_WORKING_DAYS', z.coerce.number().int().min(1).max(30).default(5)),
  /** A commitment's follow-up task is reminded this long before its deadline. */
  taskRemindBeforeMs: setting('INTERVIEW_TASK_REMIND_BEFORE_MS', positiveInt.default(3 * 86_400_000)),
} as const;
