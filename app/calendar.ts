// The holiday calendar at start-up: applies the site's HOLIDAY_OVERRIDES and warns while the
// calendar does not cover this year, or (from November, when the State Council has usually
// published next year's 放假安排) next year: deadlines there would count only weekends as rest days.
import type { Settings } from '../core/config';
import { hasHolidayData, setCalendarOverrides } from '../core/domain/working-days';
import type { Logger } from '../core/logger';

/** Years (this one, and next from November) the calendar does not cover at `now` (Shanghai). */
export function uncoveredYears(now: Date): number[] {
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  const year = shanghai.getUTCFullYear();
  const years = shanghai.getUTCMonth() >= 10 ? [year, year + 1] : [year];
  return years.filter((y) => !hasHolidayData(y));
}

/** Applies the overrides and warns about uncovered years. */
export function applyCalendar(
  settings: Pick<Settings<'calendar'>, 'holidayOverrides'>,
  logger: Logger,
  now = new Date(),
): void {
  setCalendarOverrides(settings.holidayOverrides);
  const missing = uncoveredYears(now);
  if (missing.length > 0) {
    logger.warn(
      { years: missing },
      `节假日数据未覆盖 ${missing.join('、')} 年：这些年份的工作日期限只按周末计算。请升级 chinese-days，或在 HOLIDAY_OVERRIDES 中按国务院放假安排配置（如 {"${missing[0]}-01-01":"rest"}）`,
    );
  }
}
