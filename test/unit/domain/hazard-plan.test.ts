// The reminder/escalation plan (core/hazard/plan.ts) and the risk code rule (core/risk): pure
// functions, checked against the Chinese holiday calendar and the documented thresholds.
import { escalationDue, overdueDue, parseOffset, planFromSettings, reminderDue } from '../../../core/hazard/plan';
import { riskOf, type RiskFacts } from '../../../core/risk/risk-code';
import { addWorkingDays } from '../../../core/domain/working-days';

const plan = planFromSettings({
  reminderOffsets: '3wd,1wd,0wd',
  escalateAfterOverdue: '5',
  reminderAt: '08:30',
});

test('offsets: working days, durations, bare numbers; garbage is refused', () => {
  expect(parseOffset('3wd')).toEqual({ kind: 'wd', n: 3 });
  expect(parseOffset('5')).toEqual({ kind: 'wd', n: 5 });
  expect(parseOffset('90s')).toEqual({ kind: 'ms', ms: 90_000 });
  expect(parseOffset('2h')).toEqual({ kind: 'ms', ms: 7_200_000 });
  expect(() => parseOffset('3 days')).toThrow('提醒偏移量格式不正确');
});

test('reminders skip the National Day holiday and fall at 08:30 Shanghai; 0wd is the morning of the deadline day', () => {
  // Two working days after Tue 2026-09-29: Wed 09-30, then (国庆 10-01..07 off) Thu 10-08.
  const deadline = addWorkingDays('2026-09-29', 2);
  const iso = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
  expect(iso(deadline)).toBe('2026-10-08T23:59');
  expect(iso(reminderDue(plan, '0wd', deadline))).toBe('2026-10-08T08:30');
  expect(iso(reminderDue(plan, '1wd', deadline))).toBe('2026-09-30T08:30');
  expect(iso(reminderDue(plan, '3wd', deadline))).toBe('2026-09-28T08:30');
});

test('overdue is told the next morning for an end-of-day deadline, at once for an instant; escalation after n working days', () => {
  const deadline = addWorkingDays('2026-11-16', 3); // Thursday 2026-11-19, end of day
  const iso = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
  expect(iso(overdueDue(plan, deadline))).toBe('2026-11-20T08:30');
  expect(iso(escalationDue(plan, deadline))).toBe('2026-11-27T00:00'); // 5 full working days overdue (20, 23, 24, 25, 26)
  const instant = new Date('2026-11-19T06:00:00Z');
  const short = { ...plan, escalateAfter: '30s' };
  expect(overdueDue(short, instant).getTime()).toBe(instant.getTime() + 1);
  expect(escalationDue(short, instant).getTime()).toBe(instant.getTime() + 1 + 30_000);
});

const facts = (over: Partial<RiskFacts>): RiskFacts => ({
  category: 'OTHER',
  openMajor: 0,
  openGeneral: 0,
  overdue: 0,
  overdueMajor: 0,
  testOverdue: false,
  recentFailedInspection: false,
  agencyCreditLow: false,
  ...over,
});

test.each([
  ['a quiet office building', facts({}), 10, 'GREEN'],
  ['a petrol station with one general hazard', facts({ category: 'FLAMMABLE', openGeneral: 1 }), 45, 'YELLOW'],
  ['a petrol station with one major hazard', facts({ category: 'FLAMMABLE', openMajor: 1 }), 60, 'RED'],
  [
    'a school, overdue test and a failed inspection',
    facts({ category: 'CROWDED', testOverdue: true, recentFailedInspection: true }),
    55,
    'YELLOW',
  ],
  [
    'an office with an overdue major hazard (red whatever the score)',
    facts({ openMajor: 1, overdue: 1, overdueMajor: 1 }),
    40,
    'RED',
  ],
  ['a data centre whose agency is rated D', facts({ category: 'ELECTRONIC', agencyCreditLow: true }), 30, 'YELLOW'],
])('risk code: %s', (_name, f, score, color) => {
  expect(riskOf(f)).toEqual({ score, color });
});
