// Display formats for dates, times and numbers in Chinese notices. All times are Asia/Shanghai
// (every bureau using it is in China), whatever the server's zone.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Zone of every time a person reads. */
export const DISPLAY_TZ = 'Asia/Shanghai';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function toDayjs(v: unknown): dayjs.Dayjs | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : dayjs(v).tz(DISPLAY_TZ);
  if (typeof v === 'string' && DATE_ONLY.test(v)) return dayjs.tz(v, DISPLAY_TZ);
  if (typeof v === 'string' || typeof v === 'number') {
    const d = dayjs(v);
    return d.isValid() ? d.tz(DISPLAY_TZ) : undefined;
  }
  return undefined;
}

// One way to write dates and times everywhere a person reads them (issue #23, the mini-app's
// m.js fmtDate/fmtTime write the same): 2026-12-06 and 2026-12-06 07:54.

/** 2025-07-30 (date-only strings are calendar days in Asia/Shanghai). */
export function formatDate(v: unknown): string {
  const d = toDayjs(v);
  return d ? d.format('YYYY-MM-DD') : '';
}

/** 2025-07-15 14:30 */
export function formatDateTime(v: unknown): string {
  const d = toDayjs(v);
  return d ? d.format('YYYY-MM-DD HH:mm') : '';
}

/** 2025-07-15 14:30: the same as formatDateTime (kept for the templates' cn_short filter). */
export function formatShortDateTime(v: unknown): string {
  return formatDateTime(v);
}

/** Number with at most `digits` decimals, no trailing zeros. */
export function formatNumber(v: unknown, digits = 2): string {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return '';
  return String(Number(n.toFixed(digits)));
}

/** Percentage from a ratio 0..1: 0.925 → 92.5%. */
export function formatPercent(v: unknown, digits = 1): string {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return '';
  return `${formatNumber(n * 100, digits)}%`;
}
