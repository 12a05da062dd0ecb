// The calendar every deadline and notice time is counted in: time zone, holidays, quiet hours.
import { z } from 'zod';
import { clockTime, jsonRecord } from './shapes';
import { setting } from './setting';

/** Calendar settings. */
export const calendarSettings = {
  /** Time zone of cron schedules. */
  timeZone: setting('TZ_NAME', z.string().default('Asia/Shanghai')),
  /**
   * Days that override the holiday calendar package, for a year the package does not cover yet
   * (the State Council publishes next year's 放假安排 in the autumn): JSON {"YYYY-MM-DD":"rest"|"work"}.
   */
  holidayOverrides: setting(
    'HOLIDAY_OVERRIDES',
    jsonRecord(
      z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      z.enum(['rest', 'work']),
      '{"2027-02-08":"rest"}，键为 YYYY-MM-DD 日期，值为 "rest"（休息）或 "work"（上班）',
    ),
  ),
  /** Non-urgent, non-statutory notices produced in these hours wait (HH:mm-HH:mm, Asia/Shanghai). */
  quietHours: setting(
    'QUIET_HOURS',
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:mm-HH:mm，如 22:00-07:00')
      .default('22:00-07:00'),
  ),
  /** When held notices go out: this time on the next working day. */
  quietResumeAt: setting('QUIET_RESUME_AT', clockTime('08:00').default('08:00')),
} as const;
