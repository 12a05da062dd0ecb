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

describe("a hazard card's status line and header", () => {
  const sample = getTemplate('hazard-alert').sample as Record<string, unknown>;
  const card = (progress: Record<string, unknown>) =>
    renderNotice('hazard-alert', { ...sample, progress: { ackedBy: [], riskColor: 'GREEN', ...progress } }, 'CARD')
      .cardParamMap as Record<string, string>;

  it('open, acknowledged: status, who knows, risk code; the buttons stay', () => {
    const c = card({ status: 'PENDING', ackedBy: ['陈晓峰', '张伟'], riskColor: 'YELLOW' });
    expect(c.statusText).toBe('状态：待整改；陈晓峰、张伟 已知悉；单位风险码：黄码');
    expect(c.title).toBe('【待整改】杭州示例石化仓储有限公司：隐患整改通知');
    expect([c.headerColor, c.actionsVisible]).toEqual(['orange', 'true']);
  });
  it('submitted: who submitted, no acknowledgements, buttons hidden', () => {
    const c = card({ status: 'SUBMITTED', last: { submittedBy: '陈晓峰' }, ackedBy: ['陈晓峰'] });
    expect(c.statusText).toBe('状态：整改已提交，待监管人员复核；陈晓峰 已提交整改；单位风险码：绿码');
    expect([c.title, c.headerColor, c.actionsVisible]).toEqual([
      '【待复核】杭州示例石化仓储有限公司：隐患整改通知',
      'blue',
      'false',
    ]);
  });
  it('closed after review, and rejected back to the unit', () => {
    const closed = card({
      status: 'CLOSED',
      last: { submittedBy: '陈晓峰', decision: 'APPROVED', decidedBy: '周志远' },
    });
    expect(closed.statusText).toBe('状态：已复核销号；周志远 复核通过；单位风险码：绿码');
    expect(closed.title).toMatch(/^【已销号】/);
    const rejected = card({
      status: 'FIXING',
      last: { submittedBy: '陈晓峰', decision: 'REJECTED', decidedBy: '周志远' },
      riskColor: 'RED',
    });
    expect(rejected.statusText).toBe('状态：整改中；整改被周志远驳回，请重新提交；单位风险码：红码');
    expect(rejected.title).toMatch(/^【整改中】/);
  });
  it('overdue and escalated say by how many days, in red', () => {
    expect(card({ status: 'OVERDUE', overdueDays: 3 })).toMatchObject({
      statusText: '状态：已逾期未整改；单位风险码：绿码',
      title: '【已逾期 3 天】杭州示例石化仓储有限公司：隐患整改通知',
      headerColor: 'red',
    });
    expect(card({ status: 'ESCALATED', overdueDays: 12 }).title).toMatch(/^【已升级·逾期 12 天】/);
    expect(card({ status: 'PENDING', overdueDays: 1 }).title).toMatch(/^【已逾期 1 天】/);
  });
  it('at most 100 characters', () => {
    const many = Array.from({ length: 30 }, (_, i) => `单位负责人${i}`);
    expect(card({ status: 'FIXING', ackedBy: many }).statusText).toHaveLength(100);
  });
});

describe("an approval task card's status line and header", () => {
  const sample = getTemplate('approval-task').sample as Record<string, unknown>;
  const card = (progress: Record<string, unknown>) =>
    renderNotice(
      'approval-task',
      { ...sample, progress: { actions: [], names: {}, nudges: [], open: true, ...progress } },
      'CARD',
    ).cardParamMap as Record<string, string>;
  // 2026-11-21 14:05 in Beijing.
  const at = '2026-11-21T06:05:00.000Z';
  const act = (decision: string, more: Record<string, unknown> = {}) => ({
    decision,
    at,
    comment: null,
    person: { name: '王执法' },
    transferToId: null,
    targetPersonId: null,
    data: null,
    ...more,
  });

  it('nothing done yet: 待您审批', () => {
    expect(card({}).statusText).toBe('待您审批');
    expect(card({ open: false }).statusText).toBe('已结束');
  });
  it('decided: who decided, when, with what comment; the outcome in the header', () => {
    const c = card({ outcome: 'REJECTED', actions: [act('REJECT', { comment: '图纸缺页' })], open: false });
    expect(c.statusText).toBe('已由 王执法 驳回（2026-11-21 14:05）：图纸缺页');
    expect([c.title, c.headerColor]).toEqual(['【已驳回】审批待办：二期 5000 立方米储罐扩建工程', 'red']);
    expect(card({ outcome: 'APPROVED', actions: [], open: false }).statusText).toBe('已结束');
  });
  it('withdrawn by the applicant', () => {
    const c = card({ outcome: 'WITHDRAWN', open: false });
    expect([c.statusText, c.title]).toEqual(['申请人已撤回该申请', '【已撤回】审批待办：二期 5000 立方米储罐扩建工程']);
  });
  it('under way: actions, the signer waited for, who still acts, 催办', () => {
    const c = card({
      actions: [act('TRANSFER', { transferToId: 'p2' })],
      names: { p2: '赵执法' },
      waitingFor: ['孙市执法'],
      pending: ['赵执法'],
      nudges: [{ by: '李经理', at }],
    });
    expect(c.statusText).toBe(
      '王执法 转交给 赵执法（2026-11-21 14:05）；等待 孙市执法 先行审批（加签）；待处理：赵执法；李经理 催办（2026-11-21 14:05）',
    );
    expect(c.title).toBe('审批待办：二期 5000 立方米储罐扩建工程');
    expect(card({ actions: [act('REMIND', { person: null, data: { n: 2 } })], nudges: [{ at }] }).statusText).toBe(
      '系统 超时提醒（第 2 次）（2026-11-21 14:05）；申请人 催办（2026-11-21 14:05）',
    );
    expect(card({ pending: [] }).statusText).toBe('待处理：无');
  });
  it('at most 100 characters, cut with …', () => {
    const text = card({ actions: Array.from({ length: 6 }, () => act('APPROVE', { comment: '同意' })) }).statusText;
    expect(text).toHaveLength(100);
    expect(text.endsWith('…')).toBe(true);
  });
});
