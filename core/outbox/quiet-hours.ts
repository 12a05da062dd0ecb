// Quiet hours (issue #3 part 5): a non-urgent, non-statutory notice produced at night waits for the
// next working morning. Times are Asia/Shanghai (UTC+8, no DST), so fixed-offset arithmetic is exact.
import { isWorkingDay } from '../domain/working-days';

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Priorities at or below this are urgent and never held. */
export const URGENT_PRIORITY_MAX = 2;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Quiet-hours settings, from config QUIET_HOURS and QUIET_RESUME_AT. */
export interface QuietHours {
  quietHours: string; // "22:00-07:00"
  resumeAt: string; // "08:00"
}

/** True when `at` falls inside the quiet window (which may span midnight). */
export function inQuietHours(at: Date, q: QuietHours): boolean {
  const [from, to] = q.quietHours.split('-').map(minutesOf);
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  return from <= to ? m >= from && m < to : m >= from || m < to;
}

/**
 * When a notice produced at `at` may go out: `at` itself outside quiet hours (or when urgent or
 * statutory), else `resumeAt` on the next working day (today's, if the night is already past
 * midnight and today is a working day).
 */
export function releaseTime(at: Date, q: QuietHours, opts: { priority: number; statutory: boolean }): Date {
  if (opts.statutory || opts.priority <= URGENT_PRIORITY_MAX || !inQuietHours(at, q)) return at;
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const midnightLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const resume = minutesOf(q.resumeAt) * 60_000;
  // Start from today's resume time if still ahead, else tomorrow's; skip non-working days.
  let candidate = midnightLocal + resume;
  if (candidate <= local.getTime()) candidate += DAY_MS;
  for (let i = 0; i < 40; i++) {
    const utc = new Date(candidate - SHANGHAI_OFFSET_MS);
    if (isWorkingDay(utc)) return utc;
    candidate += DAY_MS;
  }
  return new Date(candidate - SHANGHAI_OFFSET_MS);
}
