// The periodic test cycle (检测周期) of a key unit's lightning protection: once a year, every half
// year at sites with explosion or fire hazard (《防雷减灾管理办法》 中国气象局令第24号 art. 19).
// Which sites are half-yearly differs by province, so it is the unit's own
// `halfYearCycle` flag.

/** Months between two periodic tests. */
export function testCycleMonths(halfYearCycle: boolean): number {
  return halfYearCycle ? 6 : 12;
}

/**
 * The day ("YYYY-MM-DD") the next test is due after one on `day`: the same day of the month a
 * cycle later, or that month's last day when it is shorter (08-31 + 6 months = 02-28).
 */
export function nextTestDue(day: string, halfYearCycle: boolean): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const months = m - 1 + testCycleMonths(halfYearCycle);
  const year = y + Math.floor(months / 12);
  const month = months % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}
