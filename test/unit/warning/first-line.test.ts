// Which channel takes which unit (core/warning/first-line.ts) and the 叫应 ladder's setting
// (core/warning/ladder.ts): pure rules, checked on their own.
import { loadConfig } from '../../../core/config';
import { assignChannels } from '../../../core/warning/first-line';
import { parseLadder } from '../../../core/warning/ladder';

describe('assignChannels', () => {
  const units = (...people: number[]) => people.map((n) => ({ people: n }));

  it('gives work notices units while their room in people lasts, the last channel the rest', () => {
    expect(assignChannels(units(1, 2, 1, 1), ['WORK_NOTICE', 'CARD_SHARED'], 3)).toEqual([
      'WORK_NOTICE',
      'WORK_NOTICE',
      'CARD_SHARED',
      'CARD_SHARED',
    ]);
  });

  it('never splits a unit, and keeps the fan-out order once a channel is full', () => {
    // The second unit (2 people) does not fit the one place left: it and every later unit move on.
    expect(assignChannels(units(1, 2, 1), ['WORK_NOTICE', 'CARD_SHARED'], 2)).toEqual([
      'WORK_NOTICE',
      'CARD_SHARED',
      'CARD_SHARED',
    ]);
  });

  it('a last channel takes everything, even work notices beyond the room (they wait for it)', () => {
    expect(assignChannels(units(1, 1, 1), ['WORK_NOTICE'], 1)).toEqual(['WORK_NOTICE', 'WORK_NOTICE', 'WORK_NOTICE']);
    expect(assignChannels(units(1, 1), ['CARD_SHARED', 'WORK_NOTICE'], 10)).toEqual(['CARD_SHARED', 'CARD_SHARED']);
    expect(assignChannels(units(1, 1), ['CARD'], 0)).toEqual(['CARD', 'CARD']);
  });
});

describe('the 叫应 ladder', () => {
  it('parses steps in order with their delays', () => {
    expect(parseLadder('remind@10m, ding@20m,sms@1h,call@7200s')).toEqual([
      { action: 'remind', afterMs: 600_000 },
      { action: 'ding', afterMs: 1_200_000 },
      { action: 'sms', afterMs: 3_600_000 },
      { action: 'call', afterMs: 7_200_000 },
    ]);
  });

  it('refuses unknown steps and delays that do not grow, in Chinese', () => {
    expect(() => parseLadder('shout@10m')).toThrow('叫应步骤「shout@10m」格式不正确');
    expect(() => parseLadder('remind@20m,ding@10m')).toThrow('叫应步骤的时间必须逐步递增');
  });

  it('is set per level; levels left out keep the defaults', () => {
    const c = loadConfig({}, { NODE_ENV: 'test', WARNING_LADDER: '{"YELLOW":"regulator@5m"}' });
    expect(c.warning.ladder.YELLOW).toEqual([{ action: 'regulator', afterMs: 300_000 }]);
    expect(c.warning.ladder.RED.map((s) => s.action)).toEqual(['remind', 'ding', 'sms', 'call', 'regulator']);
    expect(c.warning.firstLine.RED).toEqual(['WORK_NOTICE', 'CARD_SHARED']);
    expect(() => loadConfig({}, { NODE_ENV: 'test', WARNING_LADDER: '{"RED":"remind@x"}' })).toThrow('WARNING_LADDER');
    expect(() => loadConfig({}, { NODE_ENV: 'test', WARNING_FIRST_LINE: '{"RED":"FAX"}' })).toThrow(
      'WARNING_FIRST_LINE',
    );
  });
});
