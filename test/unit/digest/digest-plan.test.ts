// When the morning digest goes out (issue #8 parts 1 and 3): rest days of the Chinese calendar
// (weekends, public holidays, 调休 working weekends counted as working days) follow
// DIGEST_ON_HOLIDAYS; Mondays in Asia/Shanghai carry the weekly summary. The dates are facts of the
// 2026 calendar (chinese-days), not today's date.
import { digestPlan } from '../../../core/digest/queue-digests';

const at = (s: string) => new Date(s);

test.each([
  ['an ordinary Monday', '2026-07-13T08:00:00+08:00', 'short', { skip: false, mode: 'full', weekly: true }],
  ['an ordinary Tuesday', '2026-07-14T08:00:00+08:00', 'skip', { skip: false, mode: 'full', weekly: false }],
  ['a Saturday, short form', '2026-07-18T08:00:00+08:00', 'short', { skip: false, mode: 'short', weekly: false }],
  ['National Day, skipped', '2026-10-01T08:00:00+08:00', 'skip', { skip: true }],
  ['National Day, short form', '2026-10-01T08:00:00+08:00', 'short', { skip: false, mode: 'short', weekly: false }],
  ['National Day, sent as usual', '2026-10-01T08:00:00+08:00', 'send', { skip: false, mode: 'full', weekly: false }],
  [
    'a holiday Monday (National Day week)',
    '2026-10-05T08:00:00+08:00',
    'short',
    { skip: false, mode: 'short', weekly: true },
  ],
  ['a 调休 working Saturday', '2026-10-10T08:00:00+08:00', 'skip', { skip: false, mode: 'full', weekly: false }],
  ['a 调休 working Sunday', '2026-09-20T08:00:00+08:00', 'short', { skip: false, mode: 'full', weekly: false }],
  // 07:30 in Shanghai on Monday is still Sunday in UTC: the Shanghai day decides.
  [
    'Monday early morning (Sunday in UTC)',
    '2026-07-12T23:30:00Z',
    'short',
    { skip: false, mode: 'full', weekly: true },
  ],
] as const)('%s', (_name, now, policy, plan) => {
  expect(digestPlan(at(now), policy)).toEqual(plan);
});
