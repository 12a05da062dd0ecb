// Working days (工作日) in Asia/Shanghai: weekends and official holidays are off, 调休 Saturdays and
// Sundays are working days. Holiday data comes from the `chinese-days` package, which follows the
// State Council's yearly notice (国务院办公厅关于节假日安排的通知); a site can override single days
// (HOLIDAY_OVERRIDES) for a year the package does not cover yet.
//
// Deadlines: 《行政许可法》 art. 42 / 《雷电防护装置设计审核和竣工验收规定》 count periods from the day
// after the event, and a period ends at the end of its last day; hence addWorkingDays returns the
// END (23:59:59.999 Shanghai time) of the n-th working day after the given day.
//
// China has had no DST since 1991, so a fixed UTC+8 offset is exact.
import { getDayDetail, isHoliday } from 'chinese-days';

const OFFSET_MS = 8 * 3600_000;

/** Days a site overrides (HOLIDAY_OVERRIDES), checked before the package's calendar. */
let overrides: ReadonlyMap<string, 'rest' | 'work'> = new Map();

/**
 * Sets the site's calendar overrides, for a year the package does not cover yet. Process-wide:
 * the calendar is one fact for every deadline, so the start-up wiring sets it once.
 */
export function setCalendarOverrides(days: Readonly<Record<string, 'rest' | 'work'>>): void {
  overrides = new Map(Object.entries(days));
}
const DAY_MS = 24 * 3600_000;

/** A day given as a Date (any instant within that Shanghai day) or as "YYYY-MM-DD". */
export type DayInput = Date | string;

/** "YYYY-MM-DD" of the Shanghai calendar day containing `at`. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD HH:mm" in Shanghai time, the way people read a time. */
export function shanghaiMinute(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

function toDay(d: DayInput): string {
  if (typeof d === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not a YYYY-MM-DD date: ${d}`);
    return d;
  }
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid Date');
  return shanghaiDate(d);
}

/** Midnight (00:00) Asia/Shanghai of a day, as an instant. */
export function startOfShanghaiDay(d: DayInput): Date {
  return new Date(Date.parse(`${toDay(d)}T00:00:00.000Z`) - OFFSET_MS);
}

/** 23:59:59.999 Asia/Shanghai of a day, as an instant. */
export function endOfShanghaiDay(d: DayInput): Date {
  return new Date(startOfShanghaiDay(d).getTime() + DAY_MS - 1);
}

function shiftDay(day: string, delta: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + delta * DAY_MS).toISOString().slice(0, 10);
}

/**
 * True when the holiday calendar covers `year` (New Year's Day is a holiday every year, so its
 * absence means the package predates that year's notice). Beyond it only weekends are known.
 */
export function hasHolidayData(year: number): boolean {
  const newYear = `${year}-01-01`;
  return overrides.get(newYear) === 'rest' || isHoliday(newYear);
}

/** Whether the Shanghai day of `d` is a working day (调休 weekend days count as working days). */
export function isWorkingDay(d: DayInput): boolean {
  const day = toDay(d);
  const o = overrides.get(day);
  return o ? o === 'work' : getDayDetail(day).work;
}

/** Whether the day is a statutory holiday or rest day (the opposite of isWorkingDay). */
export function isRestDay(d: DayInput): boolean {
  return !isWorkingDay(d);
}

/**
 * The n-th working day after the Shanghai day of `from` ("YYYY-MM-DD"). n = 0 gives that day if it
 * is a working day, else the next working day; negative n counts back.
 */
export function addWorkingDaysToDay(from: DayInput, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer: ${n}`);
  let day = toDay(from);
  if (n === 0) {
    while (!isWorkingDay(day)) day = shiftDay(day, 1);
    return day;
  }
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(n);
  while (left > 0) {
    day = shiftDay(day, step);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/** Deadline n working days after `from`: the end (23:59:59.999 Shanghai) of that working day. */
export function addWorkingDays(from: DayInput, n: number): Date {
  return endOfShanghaiDay(addWorkingDaysToDay(from, n));
}

/**
 * Working days after a's day up to and including b's day (0 on the same day, negative if b is earlier).
 * So workingDaysBetween(x, addWorkingDays(x, n)) === n, and "overdue by" counts are natural.
 */
export function workingDaysBetween(a: DayInput, b: DayInput): number {
  const from = toDay(a);
  const to = toDay(b);
  if (to <= from) return from === to ? 0 : -workingDaysBetween(b, a);
  let n = 0;
  for (let day = shiftDay(from, 1); day <= to; day = shiftDay(day, 1)) if (isWorkingDay(day)) n++;
  return n;
}

/** Calendar days added in Shanghai terms, ending at the end of that day (e.g. "+15 days" deadlines). */
export function addCalendarDays(from: DayInput, n: number): Date {
  return endOfShanghaiDay(shiftDay(toDay(from), n));
}
