import { inQuietHours, releaseTime, URGENT_PRIORITY_MAX } from '../../../core/outbox/quiet-hours';

// Times are written with the +08:00 offset (Asia/Shanghai), so the test does not depend on the
// process time zone. Holiday data: chinese-days, following the 2026 State Council notice
// (国庆 10-01..10-07 off; 调休 working days Sunday 9-20 and Saturday 10-10).
const night = { quietHours: '22:00-07:00', resumeAt: '08:00' };
const bulk = { priority: 5, statutory: false };
const at = (s: string) => new Date(s);
const release = (s: string, q = night, opts = bulk) => releaseTime(at(s), q, opts).toISOString();

describe('inQuietHours', () => {
  it('handles a window spanning midnight, start inclusive and end exclusive', () => {
    expect(inQuietHours(at('2026-10-13T21:59:00+08:00'), night)).toBe(false);
    expect(inQuietHours(at('2026-10-13T22:00:00+08:00'), night)).toBe(true);
    expect(inQuietHours(at('2026-10-13T23:59:00+08:00'), night)).toBe(true);
    expect(inQuietHours(at('2026-10-14T00:00:00+08:00'), night)).toBe(true);
    expect(inQuietHours(at('2026-10-14T06:59:00+08:00'), night)).toBe(true);
    expect(inQuietHours(at('2026-10-14T07:00:00+08:00'), night)).toBe(false);
    expect(inQuietHours(at('2026-10-14T12:00:00+08:00'), night)).toBe(false);
  });

  it('reads the hour in Shanghai time, not UTC', () => {
    // 14:30 UTC is 22:30 in Shanghai.
    expect(inQuietHours(at('2026-10-13T14:30:00Z'), night)).toBe(true);
    // 23:30 UTC is 07:30 the next morning in Shanghai.
    expect(inQuietHours(at('2026-10-13T23:30:00Z'), night)).toBe(false);
  });

  it('handles a window that does not span midnight', () => {
    const noon = { quietHours: '12:00-14:00', resumeAt: '14:00' };
    expect(inQuietHours(at('2026-10-13T11:59:00+08:00'), noon)).toBe(false);
    expect(inQuietHours(at('2026-10-13T12:00:00+08:00'), noon)).toBe(true);
    expect(inQuietHours(at('2026-10-13T13:59:00+08:00'), noon)).toBe(true);
    expect(inQuietHours(at('2026-10-13T14:00:00+08:00'), noon)).toBe(false);
    expect(inQuietHours(at('2026-10-13T23:00:00+08:00'), noon)).toBe(false);
    expect(inQuietHours(at('2026-10-13T03:00:00+08:00'), noon)).toBe(false);
  });
});

describe('releaseTime', () => {
  it('sends at once outside quiet hours', () => {
    expect(release('2026-10-13T10:00:00+08:00')).toBe(at('2026-10-13T10:00:00+08:00').toISOString());
    expect(release('2026-10-13T07:30:00+08:00')).toBe(at('2026-10-13T07:30:00+08:00').toISOString());
  });

  it('holds a weekday-night notice until 08:00 of the next working day', () => {
    expect(release('2026-10-13T23:00:00+08:00')).toBe(at('2026-10-14T08:00:00+08:00').toISOString()); // Tue -> Wed
  });

  it('after midnight on a working day, releases at 08:00 the same day', () => {
    expect(release('2026-10-14T03:00:00+08:00')).toBe(at('2026-10-14T08:00:00+08:00').toISOString());
  });

  it('skips a weekend', () => {
    // Friday night -> Monday morning.
    expect(release('2026-10-16T22:30:00+08:00')).toBe(at('2026-10-19T08:00:00+08:00').toISOString());
    // Saturday small hours -> Monday morning.
    expect(release('2026-10-17T03:00:00+08:00')).toBe(at('2026-10-19T08:00:00+08:00').toISOString());
  });

  it('skips the 2026 National Day holiday', () => {
    // Eve of the holiday (Wed 9-30) -> first working day after it (Thu 10-08 per chinese-days).
    expect(release('2026-09-30T23:00:00+08:00')).toBe(at('2026-10-08T08:00:00+08:00').toISOString());
    // During the holiday, small hours of 10-03 (Sat) -> 10-08.
    expect(release('2026-10-03T02:00:00+08:00')).toBe(at('2026-10-08T08:00:00+08:00').toISOString());
  });

  it('counts the 调休 working Saturday 2026-10-10, then skips the Sunday', () => {
    expect(release('2026-10-09T23:00:00+08:00')).toBe(at('2026-10-10T08:00:00+08:00').toISOString()); // Fri -> Sat (调休)
    expect(release('2026-10-10T23:00:00+08:00')).toBe(at('2026-10-12T08:00:00+08:00').toISOString()); // Sat -> Mon
  });

  it('counts the 调休 working Sunday 2026-09-20', () => {
    expect(release('2026-09-19T23:00:00+08:00')).toBe(at('2026-09-20T08:00:00+08:00').toISOString()); // Sat -> Sun (调休)
  });

  it('never holds urgent notices', () => {
    const t = '2026-10-16T23:00:00+08:00';
    for (let p = 0; p <= URGENT_PRIORITY_MAX; p++) {
      expect(release(t, night, { priority: p, statutory: false })).toBe(at(t).toISOString());
    }
    expect(release(t, night, { priority: URGENT_PRIORITY_MAX + 1, statutory: false })).toBe(
      at('2026-10-19T08:00:00+08:00').toISOString(),
    );
  });

  it('never holds statutory notices, whatever the priority', () => {
    const t = '2026-10-03T02:00:00+08:00';
    expect(release(t, night, { priority: 9, statutory: true })).toBe(at(t).toISOString());
  });

  it('with a window that does not span midnight, releases at its end on a working day', () => {
    const noon = { quietHours: '12:00-14:00', resumeAt: '14:00' };
    expect(release('2026-10-13T12:30:00+08:00', noon)).toBe(at('2026-10-13T14:00:00+08:00').toISOString()); // Tue, same day
    expect(release('2026-10-13T23:00:00+08:00', noon)).toBe(at('2026-10-13T23:00:00+08:00').toISOString()); // outside: now
    expect(release('2026-10-17T12:30:00+08:00', noon)).toBe(at('2026-10-19T14:00:00+08:00').toISOString()); // Sat -> Mon
  });
});
