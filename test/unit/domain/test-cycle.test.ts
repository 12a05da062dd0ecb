// The periodic test cycle (docs/domain-reference.md §1): half-yearly at 易燃易爆 sites, yearly elsewhere;
// month ends clamp to the shorter month.
import { nextTestDue, testCycleMonths } from '../../../core/domain/test-cycle';

test.each([
  ['2026-03-15', true, '2026-09-15'],
  ['2026-03-15', false, '2027-03-15'],
  ['2026-08-31', true, '2027-02-28'],
  ['2027-08-31', true, '2028-02-29'],
  ['2026-07-01', true, '2027-01-01'],
  ['2026-12-31', false, '2027-12-31'],
  ['2028-02-29', false, '2029-02-28'],
] as const)('a test on %s (half-year %s) is next due on %s', (day, halfYear, due) => {
  expect(nextTestDue(day, halfYear)).toBe(due);
});

test('cycle lengths and bad input', () => {
  expect([testCycleMonths(true), testCycleMonths(false)]).toEqual([6, 12]);
  expect(() => nextTestDue('2026/03/15', true)).toThrow(RangeError);
});
