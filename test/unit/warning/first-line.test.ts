// Which channel takes which unit (core/warning/first-line.ts) and the 叫应 ladder's setting
// (core/warning/ladder.ts), and the robot-message fallback of a tenant without a shared-card
// template (#19): pure rules, checked on their own.
import { loadConfig } from '../../../core/config';
import { assignChannels, DEFAULT_FIRST_LINE, effectiveFirstLines } from '../../../core/warning/first-line';
import { parseLadder } from '../../../core/warning/ladder';
import { getTemplate, renderNotice } from '../../../templates';

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

describe('without a shared-card template (#19)', () => {
  it('never chooses CARD_SHARED: the fallback takes its place, once', () => {
    expect(effectiveFirstLines(DEFAULT_FIRST_LINE, false, 'ROBOT_OTO').RED).toEqual(['WORK_NOTICE', 'ROBOT_OTO']);
    // Work notices in the next minutes: the one channel left takes every unit.
    expect(effectiveFirstLines(DEFAULT_FIRST_LINE, false, 'WORK_NOTICE').ORANGE).toEqual(['WORK_NOTICE']);
    const lines = { ...DEFAULT_FIRST_LINE, YELLOW: ['CARD_SHARED' as const, 'DING' as const] };
    expect(effectiveFirstLines(lines, false, 'ROBOT_OTO').YELLOW).toEqual(['ROBOT_OTO', 'DING']);
    expect(effectiveFirstLines(lines, true, 'ROBOT_OTO')).toBe(lines);
  });

  it('is set by WARNING_SHARED_CARD_FALLBACK (ROBOT_OTO unless told), and ROBOT_OTO is a first-line channel', () => {
    expect(loadConfig({}, { NODE_ENV: 'test' }).warning.sharedCardFallback).toBe('ROBOT_OTO');
    const c = loadConfig({}, { NODE_ENV: 'test', WARNING_SHARED_CARD_FALLBACK: 'WORK_NOTICE' });
    expect(c.warning.sharedCardFallback).toBe('WORK_NOTICE');
    expect(() => loadConfig({}, { NODE_ENV: 'test', WARNING_SHARED_CARD_FALLBACK: 'CARD' })).toThrow(
      'WARNING_SHARED_CARD_FALLBACK',
    );
    const robot = loadConfig({}, { NODE_ENV: 'test', WARNING_FIRST_LINE: '{"RED":"WORK_NOTICE,ROBOT_OTO"}' });
    expect(robot.warning.firstLine.RED).toEqual(['WORK_NOTICE', 'ROBOT_OTO']);
  });

  // The shipped sample of a warning-call (a red warning for 余杭区).
  const {
    ackUrl: _unused,
    call: _call,
    at: _at,
    ...base
  } = getTemplate('warning-call').sample as Record<string, unknown>;
  const ack = 'https://leiguard.example.gov.cn/m/warnings/33011041600000_20250715143000_0?from=FIRST_LINE.ROBOT_OTO';

  it('the robot message is a sampleActionCard whose one button, 「收到」, opens the one-tap page', () => {
    const msg = renderNotice('lightning-warning', { ...base, links: { ack } }, 'ROBOT_OTO');
    expect(msg.msgKey).toBe('sampleActionCard');
    const p = JSON.parse(msg.msgParam) as Record<string, string>;
    expect([p.singleTitle, p.singleURL]).toEqual(['收到', ack]);
    expect(p.title).toContain('【雷电红色预警】');
    expect(p.text).toContain('点击「收到」确认');
  });

  it('the cancellation notice has no 「收到」 button; a reminder has it', () => {
    const call = { ...base, at: '2025-07-15T15:00:00+08:00', ackUrl: ack };
    const cancel = renderNotice('warning-call', { ...call, call: 'CANCEL' }, 'ROBOT_OTO');
    expect(cancel.msgKey).toBe('sampleMarkdown');
    expect(JSON.parse(cancel.msgParam).text).toContain('已于 2025-07-15 15:00 解除');
    const remind = renderNotice('warning-call', { ...call, call: 'REMINDER' }, 'ROBOT_OTO');
    expect(remind.msgKey).toBe('sampleActionCard');
    expect(JSON.parse(remind.msgParam).singleURL).toBe(ack);
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

  it('refuses a channel that would never take a unit (after one that takes them all)', () => {
    for (const list of ['CARD_SHARED,WORK_NOTICE', 'WORK_NOTICE,CARD_SHARED,ROBOT_OTO'])
      expect(() => loadConfig({}, { NODE_ENV: 'test', WARNING_FIRST_LINE: JSON.stringify({ ORANGE: list }) })).toThrow(
        /WARNING_FIRST_LINE[\s\S]*ORANGE 的渠道 (WORK_NOTICE|ROBOT_OTO) 不会被使用/,
      );
    const c = loadConfig({}, { NODE_ENV: 'test', WARNING_FIRST_LINE: '{"ORANGE":"DING","RED":"WORK_NOTICE,DING"}' });
    expect([c.warning.firstLine.ORANGE, c.warning.firstLine.RED]).toEqual([['DING'], ['WORK_NOTICE', 'DING']]);
  });
});
