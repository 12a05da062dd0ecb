// Ranking periods (months and quarters bounded by Shanghai midnights) and reading the stored
// indicator arrays.
import { costliest, indicatorResults } from '../../../core/ranking/indicators';
import {
  lastCompletePeriod,
  parsePeriod,
  periodContaining,
  periodLabel,
  previousPeriod,
} from '../../../core/ranking/period';

test('a month and a quarter are half-open intervals between Shanghai midnights', () => {
  const oct = parsePeriod('2026-10');
  expect([oct.start.toISOString(), oct.end.toISOString()]).toEqual([
    '2026-09-30T16:00:00.000Z',
    '2026-10-31T16:00:00.000Z',
  ]);
  const q4 = parsePeriod('2026-Q4');
  expect([q4.start.toISOString(), q4.end.toISOString()]).toEqual([
    '2026-09-30T16:00:00.000Z',
    '2026-12-31T16:00:00.000Z',
  ]);
  expect([periodLabel(oct), periodLabel(q4)]).toEqual(['2026年10月', '2026年第四季度']);
});

test('previous periods cross the year; the last complete period is the one before the current', () => {
  expect(previousPeriod(parsePeriod('2027-01')).key).toBe('2026-12');
  expect(previousPeriod(parsePeriod('2027-Q1')).key).toBe('2026-Q4');
  // 2026-11-01 00:30 in Shanghai is still 2026-10-31 in UTC: the Shanghai calendar decides.
  const justAfter = new Date('2026-11-01T00:30:00+08:00');
  expect(periodContaining('month', justAfter).key).toBe('2026-11');
  expect(lastCompletePeriod('month', justAfter).key).toBe('2026-10');
  expect(lastCompletePeriod('quarter', justAfter).key).toBe('2026-Q3');
});

test('bad period keys are refused with a Chinese message', () => {
  for (const key of ['2026-13', '2026-00', '2026-Q5', '26-10', '2026-10-01', '']) {
    expect(() => parsePeriod(key)).toThrow(/排名周期格式不正确/);
  }
});

test('stored arrays read back per indicator; the costliest are those that lost most points', () => {
  const ind = indicatorResults({
    fractions: [0.5, 1, 0.8333, 0, 1, 0.6667],
    points: [12.5, 20, 8.33, 0, 20, 6.67],
    weights: [25, 20, 10, 15, 20, 10],
    counts: [2, 1, 0, 0, 3, 0, 3, 2],
  });
  expect(ind.rectificationOnTime).toEqual({ f: 0.5, points: 12.5, max: 25, due: 2, onTime: 1 });
  expect(ind.ackTime).toEqual({ f: 0.8333, points: 8.33, max: 10, found: 3 });
  expect(ind.warningAck).toEqual({ f: 0.6667, points: 6.67, max: 10, warnings: 3, acked: 2 });
  expect(ind.testingOnTime).toEqual({ f: 1, points: 20, max: 20 });
  expect(costliest(ind)).toEqual([
    { key: 'selfInspection', lost: 15 },
    { key: 'rectificationOnTime', lost: 12.5 },
    { key: 'warningAck', lost: 3.33 },
  ]);
});
