// Sentences core used to word and now hands to templates/ as facts (issue #24): each is read here
// as the person reads it, rendered from the facts core passes.
import { getTemplate, renderNotice } from '../../../templates';

describe("the ranking notice's next step", () => {
  const sample = getTemplate('ranking-notice').sample as Record<string, unknown>;
  const text = (data: Record<string, unknown>) =>
    (renderNotice('ranking-notice', { ...sample, ...data }, 'ROBOT_OTO') as { msgParam: string }).msgParam;
  const read = (next: unknown, consecutiveBottom = 2) =>
    (JSON.parse(text({ next, consecutiveBottom, bottomPercent: 10 })) as { text: string }).text;

  it('a 提醒 this period', () => {
    expect(read({ kind: 'REMINDER', reason: '连续 2 期排名后 10%' })).toContain(
      '你单位已连续 2 期排名后 10%。</font>连续 2 期排名后 10%，现对你单位予以提醒；再次达到条件的，将约谈单位主要负责人。\n',
    );
  });
  it('an interview proposal this period', () => {
    expect(read({ kind: 'INTERVIEW_PROPOSAL', reason: '有重大隐患逾期未整改，此前已提醒' }, 0)).toContain(
      '\n有重大隐患逾期未整改，此前已提醒，已建议气象主管机构约谈你单位主要负责人。\n',
    );
  });
  it('a bottom place short of the line', () => {
    expect(read({ kind: 'BOTTOM_WARNING', periods: 3 })).toContain('</font>连续 3 期排名后 10% 的单位将被提醒。\n');
  });
  it('nothing follows: the bottom line asks for improvement, a unit out of the bottom reads no next step', () => {
    expect(read(undefined)).toContain('</font>请对照失分项及时改进。\n');
    const top = read(undefined, 0);
    expect(top).not.toMatch(/提醒|约谈|请对照失分项/);
  });
});
