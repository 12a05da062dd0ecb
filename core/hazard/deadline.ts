// Deadlines people give (a new deadline in an extension request, a deadline on filing): a calendar
// day "YYYY-MM-DD" means the end of that day in Asia/Shanghai; an ISO instant is taken as is.
import { z } from 'zod';
import { endOfShanghaiDay } from '../domain/working-days';
import { AppError, ValidationError } from '../errors';

/** A deadline as people or programs give it. */
export const zDeadline = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
  z.iso.datetime({ offset: true, message: '时间格式应为 YYYY-MM-DD 或带时区的 ISO 时间' }),
]);

/** Turns a given deadline into an instant; throws DEADLINE_IN_PAST unless it is after `now`. */
export function resolveDeadline(text: string, now: Date): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? endOfShanghaiDay(text) : new Date(text);
  if (Number.isNaN(at.getTime())) throw new ValidationError('整改期限不是有效的日期');
  if (at.getTime() <= now.getTime()) {
    throw new AppError('DEADLINE_IN_PAST', '整改期限不能早于当前时间，请重新选择', { status: 400 });
  }
  return at;
}
