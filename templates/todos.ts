// What a DingTalk to-do (待办, issue #21) says for each kind of task: the subject line names the
// unit or project first (UX.md "Say what it is about") and what is owed, the description gives the
// facts and what to do. Only what changes with the task goes in (no 「剩余 N 天」 that would need
// an update every day): DingTalk shows the due time and whether it has passed.
import type { RenderTodo, TodoFacts, TodoText } from '../core/todos/types';
import { formatDate, formatDateTime } from './format';

function lines(...parts: Array<string | false | undefined | null>): string {
  return parts.filter((p): p is string => Boolean(p)).join('\n');
}

/** The application named first: its title, and the kind of approval when the title does not say it. */
function what(f: { title: string; definitionName: string }): string {
  return f.title.includes(f.definitionName) ? `${f.title}：` : `${f.title}：${f.definitionName}`;
}

const RENDERERS: { [K in TodoFacts['kind']]: (f: Extract<TodoFacts, { kind: K }>) => TodoText } = {
  'hazard.fix': (f) => ({
    subject: `${f.unit}：${f.typeLabel}（${f.gradeLabel}）${f.overdue ? '已逾期，' : ''}${f.rejectedReason !== undefined ? '复核未通过，请重新整改' : '待整改'}`,
    description: lines(
      `隐患：${f.description}`,
      `整改期限：${formatDate(f.deadline)}`,
      f.rejectedReason !== undefined && `复核意见：${f.rejectedReason || '（无）'}`,
      '整改完成后，请在小程序上传整改说明和照片，由监管人员复核销号。',
    ),
  }),
  'hazard.verify': (f) => ({
    subject: `${f.unit}：${f.typeLabel}（${f.gradeLabel}）整改待复核`,
    description: lines(
      `${f.submittedBy} 于 ${formatDateTime(f.submittedAt)} 提交整改：${f.rectification}`,
      '请在小程序查看整改照片并复核：通过则销号，驳回须填写理由。',
    ),
  }),
  'approval.step': (f) => ({
    subject: `${what(f)}「${f.stepName}」待${f.signer ? '加签审批' : '审批'}`,
    description: lines(
      `申请人：${f.applicant}`,
      f.onBehalfOf && `受 ${f.onBehalfOf} 委托代为审批`,
      ...f.fields.map((x) => `${x.label}：${x.value}`),
      '请在小程序办理：同意、驳回、退回、加签或转交。',
    ),
  }),
  'approval.escalated': (f) => ({
    subject: `${what(f)}「${f.stepName}」超时未办，请督办`,
    description: lines(
      `审批人：${f.approvers.join('、') || '（无）'}`,
      f.dueAt && `办理时限：${formatDate(f.dueAt)}（已超时）`,
      '该环节办结后本待办自动完成。',
    ),
  }),
  'interview.confirm': (f) => ({
    subject: `${f.unit}：约谈通知待确认参加`,
    description: lines(
      `时间：${formatDateTime(f.scheduledAt)}`,
      `地点：${f.place}`,
      `事由：${f.reason}`,
      '请在小程序确认参加，或申请改期。',
    ),
  }),
  'interview.task': (f) => ({
    subject: `${f.unit}：落实约谈整改承诺`,
    description: lines(`承诺事项：${f.text}`, `完成期限：${formatDate(f.dueAt)}`),
  }),
  'interview.reschedule': (f) => ({
    subject: `${f.unit}：申请约谈改期，待处理`,
    description: lines(`原定日期：${f.requested}`, f.reason && `理由：${f.reason}`, '请在小程序重新安排约谈时间。'),
  }),
  'warning.ack': (f) => ({
    subject: `${f.unit}：${f.levelLabel}，请落实防范措施并确认`,
    description: lines(
      f.issuer && `发布单位：${f.issuer}`,
      f.text,
      `有效期至：${formatDateTime(f.expiresAt)}`,
      '落实防范措施后，点开本待办按「收到」确认（或在预警卡片上确认）。',
    ),
  }),
  'inspection.do': (f) => ({
    subject: `${f.unit}：${f.selfCheck ? '防雷安全自查' : f.modeLabel}待完成`,
    description: f.selfCheck
      ? '请逐项检查并提交自查结果；不符合的项目会登记为隐患。'
      : '检查尚未提交，请在小程序逐项填写后提交。',
  }),
  'test.due': (f) => ({
    subject: `${f.unit}：安排防雷装置定期检测（${formatDate(f.dueDate)} 到期${f.overdue ? '，已逾期' : ''}）`,
    description: lines(
      `场所：${f.address}`,
      `${f.categoryLabel}，防雷装置应当${f.halfYearCycle ? '每半年' : '每年'}检测一次（《防雷减灾管理办法》第十九条）。`,
      f.lastTestDate && `上次检测：${formatDate(f.lastTestDate)}`,
      `本次检测应于 ${formatDate(f.dueDate)} 前完成。`,
      '请委托具有相应资质的防雷装置检测机构实施检测；检测报告提交后本待办自动完成。',
    ),
  }),
};

/** The to-do's text for its facts. */
export const renderTodo: RenderTodo = (facts) => (RENDERERS[facts.kind] as (f: TodoFacts) => TodoText)(facts);
