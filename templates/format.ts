// Display formats for dates, times and numbers in Chinese notices. All times are Asia/Shanghai
// (DESIGN.md), whatever the server's zone.
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

/** 2025年7月30日 (date-only strings are calendar days in Asia/Shanghai). */
export function formatDate(v: unknown): string {
  const d = toDayjs(v);
  return d ? d.format('YYYY年M月D日') : '';
}

/** 2025年7月15日 14:30 */
export function formatDateTime(v: unknown): string {
  const d = toDayjs(v);
  return d ? d.format('YYYY年M月D日 HH:mm') : '';
}

/** 7月15日 14:30 (same year context, e.g. warning validity). */
export function formatShortDateTime(v: unknown): string {
  const d = toDayjs(v);
  return d ? d.format('M月D日 HH:mm') : '';
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
