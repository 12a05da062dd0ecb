// HOLIDAY_OVERRIDES: a site fills in a year the holiday package does not cover yet; start-up warns
// while this year (or, from November, next year) is not covered.
import { applyCalendar, uncoveredYears } from '../../../app/calendar';
import { loadConfig } from '../../../core/config';
import { ConfigError } from '../../../core/errors';
import {
  addWorkingDaysToDay,
  hasHolidayData,
  isWorkingDay,
  setCalendarOverrides,
  workingDaysBetween,
} from '../../../core/domain/working-days';
import pino from 'pino';

// A year far beyond any package release, so the package itself never covers it.
const Y = 2098;

afterEach(() => setCalendarOverrides({}));

test('overridden days win over the package; other days keep weekends', () => {
  // 2098-01-01 is a Wednesday; 2098-01-04 a Saturday.
  expect(isWorkingDay(`${Y}-01-01`)).toBe(true);
  expect(hasHolidayData(Y)).toBe(false);
  setCalendarOverrides({ [`${Y}-01-01`]: 'rest', [`${Y}-01-02`]: 'rest', [`${Y}-01-04`]: 'work' });
  expect(isWorkingDay(`${Y}-01-01`)).toBe(false);
  expect(isWorkingDay(`${Y}-01-04`)).toBe(true);
  expect(isWorkingDay(`${Y}-01-05`)).toBe(false); // Sunday, not overridden
  expect(hasHolidayData(Y)).toBe(true);
  // From Tue 12-31: Wed and Thu off, Fri 01-03 and Sat 01-04 working, Mon 01-06.
  expect(addWorkingDaysToDay(`${Y - 1}-12-31`, 3)).toBe(`${Y}-01-06`);
  expect(workingDaysBetween(`${Y - 1}-12-31`, `${Y}-01-06`)).toBe(3);
});

test('the variable is validated: dates as keys, rest or work as values', () => {
  const ok = loadConfig({}, { HOLIDAY_OVERRIDES: `{"${Y}-02-08":"rest","${Y}-02-16":"work"}` });
  expect(ok.calendar.holidayOverrides).toEqual({ [`${Y}-02-08`]: 'rest', [`${Y}-02-16`]: 'work' });
  for (const bad of ['{"2098/02/08":"rest"}', '{"2098-02-08":"holiday"}', '["2098-02-08"]', 'not json']) {
    let err: unknown;
    try {
      loadConfig({}, { HOLIDAY_OVERRIDES: bad });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('HOLIDAY_OVERRIDES');
  }
});

test('start-up names the uncovered years, and stops once overrides cover them', () => {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (s: string) => void lines.push(s) });
  // 2098-06-15 (Shanghai): only this year matters; 2098-11-20: next year too.
  expect(uncoveredYears(new Date(`${Y}-06-15T12:00:00+08:00`))).toEqual([Y]);
  expect(uncoveredYears(new Date(`${Y}-11-20T12:00:00+08:00`))).toEqual([Y, Y + 1]);
  applyCalendar({ holidayOverrides: {} }, logger, new Date(`${Y}-11-20T12:00:00+08:00`));
  expect(lines.join('')).toContain(`节假日数据未覆盖 ${Y}、${Y + 1} 年`);
  lines.length = 0;
  applyCalendar(
    { holidayOverrides: { [`${Y}-01-01`]: 'rest', [`${Y + 1}-01-01`]: 'rest' } },
    logger,
    new Date(`${Y}-11-20T12:00:00+08:00`),
  );
  expect(lines).toEqual([]);
  expect(isWorkingDay(`${Y + 1}-01-01`)).toBe(false);
});
