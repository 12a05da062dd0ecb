import {
  addCalendarDays,
  addWorkingDays,
  addWorkingDaysToDay,
  endOfShanghaiDay,
  hasHolidayData,
  isWorkingDay,
  shanghaiDate,
  startOfShanghaiDay,
  workingDaysBetween,
} from '../../../core/domain/working-days';

// 2026 (国办发明电〔2025〕 holiday notice): 中秋 9-25 (Fri) off; 国庆 10-01..10-07 off;
// 调休 working days Sunday 9-20 and Saturday 10-10.
describe('working days, Asia/Shanghai, 2026 National Day', () => {
  it('knows holidays, weekends and 调休 days', () => {
    expect(isWorkingDay('2026-09-25')).toBe(false); // 中秋
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday, 调休
    expect(isWorkingDay('2026-09-30')).toBe(true);
    for (let d = 1; d <= 7; d++) expect(isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(isWorkingDay('2026-10-08')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休
    expect(isWorkingDay('2026-10-11')).toBe(false); // Sunday
    expect(isWorkingDay('2026-10-17')).toBe(false); // ordinary Saturday
  });

  it('reads a Date as its Shanghai calendar day, whatever the process time zone', () => {
    // 2026-10-07 20:00 UTC is already 2026-10-08 04:00 in Shanghai: a working day.
    expect(shanghaiDate(new Date('2026-10-07T20:00:00Z'))).toBe('2026-10-08');
    expect(isWorkingDay(new Date('2026-10-07T20:00:00Z'))).toBe(true);
    expect(isWorkingDay(new Date('2026-10-07T15:59:59Z'))).toBe(false);
  });

  it('adds working days across the holiday, ending at the end of the last day', () => {
    // Accepted on 9-30 (Wed): 1st working day after is 10-08, then 10-09, 10-10 (Sat, 调休), 10-12...
    expect(addWorkingDaysToDay('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDaysToDay('2026-09-30', 3)).toBe('2026-10-10');
    expect(addWorkingDaysToDay('2026-09-30', 5)).toBe('2026-10-13');
    expect(addWorkingDays(new Date('2026-09-30T10:00:00+08:00'), 5).toISOString()).toBe('2026-10-13T15:59:59.999Z');
    // 37号令: decision within 10 working days of acceptance (9-29, 9-30, 10-08..10-10, 10-12..10-16).
    expect(addWorkingDaysToDay('2026-09-28', 10)).toBe('2026-10-16');
    // A holiday start counts from the next working day.
    expect(addWorkingDaysToDay('2026-10-03', 1)).toBe('2026-10-08');
    expect(addWorkingDaysToDay('2026-10-03', 0)).toBe('2026-10-08');
    expect(addWorkingDaysToDay('2026-10-09', 0)).toBe('2026-10-09');
    // Counting back (reminders before a deadline).
    expect(addWorkingDaysToDay('2026-10-08', -1)).toBe('2026-09-30');
    expect(addWorkingDaysToDay('2026-09-21', -1)).toBe('2026-09-20');
    expect(() => addWorkingDaysToDay('2026-10-08', 1.5)).toThrow(RangeError);
  });

  it('counts working days between two instants', () => {
    expect(workingDaysBetween('2026-09-30', '2026-10-09')).toBe(2);
    expect(workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(workingDaysBetween('2026-10-01', '2026-10-07')).toBe(0);
    expect(workingDaysBetween('2026-10-09', '2026-10-09')).toBe(0);
    expect(workingDaysBetween('2026-10-09', '2026-09-30')).toBe(-2);
    for (const n of [1, 2, 5, 10, 20]) {
      const from = new Date('2026-09-18T09:00:00+08:00');
      expect(workingDaysBetween(from, addWorkingDays(from, n))).toBe(n);
    }
  });

  it('handles Shanghai day boundaries and calendar-day deadlines', () => {
    expect(startOfShanghaiDay('2026-10-08').toISOString()).toBe('2026-10-07T16:00:00.000Z');
    expect(endOfShanghaiDay(new Date('2026-10-08T01:00:00Z')).toISOString()).toBe('2026-10-08T15:59:59.999Z');
    expect(addCalendarDays('2026-09-30', 15).toISOString()).toBe('2026-10-15T15:59:59.999Z');
    expect(() => isWorkingDay('2026/10/08')).toThrow(RangeError);
  });

  it('tells whether the holiday calendar covers a year', () => {
    expect(hasHolidayData(2026)).toBe(true);
    expect(hasHolidayData(2099)).toBe(false);
  });
});
