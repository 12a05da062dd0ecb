// Where 「我的待办」 comes from (tasks.route.ts): one function per kind of record that can wait for
// the signed-in person, each reading straight from the records other features write.
import { scopeCovers, scopeUnitWhere } from '../../core/authz';
import type { HazardStatus } from '../../core/db/generated/enums';
import { label } from '../../core/domain/labels';
import { shanghaiDate } from '../../core/domain/working-days';
import { dueText } from '../../core/field-work/views';
import { seriousOpenHazards } from '../../core/inspection/perform-draw';
import { codeInspectionEligible, nextCodeInspectionDue } from '../../core/inspection/supervision-rule';
import { testDueStage } from '../../core/test-report/test-due';
import type { Draft, TaskContext } from './task';
import { hazardSummary } from './hazard-view';

const UNIT_OPEN: HazardStatus[] = ['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED'];

/** Hazards: a unit fixes open ones; a regulator verifies submitted ones and watches overdue ones. */
async function hazardTasks(c: TaskContext): Promise<Draft[]> {
  const { p, scope, t, isUnit } = c;
  const drafts: Draft[] = [];
  const unitWhere = scopeUnitWhere(scope);
  if (unitWhere) {
    const statuses: HazardStatus[] = isUnit ? UNIT_OPEN : ['SUBMITTED', 'OVERDUE', 'ESCALATED'];
    const rows = await p.hazard.findMany({
      where: { unit: unitWhere, status: { in: statuses } },
      include: { unit: { select: { id: true, name: true, regionCode: true } } },
      orderBy: { deadline: 'asc' },
      take: 50,
    });
    for (const h of rows.filter((r) => scopeCovers(scope, { unitId: r.unit.id, regionCode: r.unit.regionCode }))) {
      const s = hazardSummary(h, t);
      drafts.push({
        kind: 'hazard',
        id: h.id,
        subject: h.unit.name,
        title: `${s.typeLabel}（${s.gradeLabel}，${s.statusLabel}）`,
        detail: s.deadlineText,
        due: s.deadline,
        late: s.overdue,
        escalated: s.escalated,
        href: `/m/hazards/${h.id}`,
      });
    }
  }
  return drafts;
}

/** Approval steps waiting for me (array membership checked in code: see hazard-scope.ts). */
async function approvalTasks(c: TaskContext): Promise<Draft[]> {
  const { p, me, t } = c;
  const drafts: Draft[] = [];
  const steps = await p.approvalStep.findMany({
    where: { status: 'ACTIVE' },
    select: {
      id: true,
      name: true,
      dueAt: true,
      assigneePersonIds: true,
      instance: {
        select: { id: true, title: true, subjectType: true, definition: { select: { name: true } } },
      },
    },
    orderBy: { dueAt: 'asc' },
    take: 500,
  });
  for (const s of steps.filter((x) => x.assigneePersonIds.includes(me.id))) {
    drafts.push({
      kind: 'approval',
      id: s.instance.id,
      subject: s.instance.title,
      title: `待审批：${s.instance.definition.name}`,
      detail: `当前环节：${s.name}`,
      due: s.dueAt?.toISOString() ?? null,
      late: Boolean(s.dueAt && s.dueAt < t),
      href: `/m/approvals/${s.instance.id}`,
    });
  }
  return drafts;
}

/**
 * My unit's: interviews to attend and commitments still open, warnings to answer, a code inspection
 * due, the periodic test to arrange.
 */
async function unitTasks(c: TaskContext): Promise<Draft[]> {
  const { p, me, t, isUnit, rule } = c;
  const drafts: Draft[] = [];
  if (!me.unitId || !isUnit) return drafts;
  // Interviews (约谈) of my unit still to attend, and the commitments made at them still open.
  const interviews = await p.interview.findMany({
    where: { unitId: me.unitId, status: { in: ['SCHEDULED', 'NOTIFIED', 'ACKNOWLEDGED', 'HELD'] } },
    include: {
      tasks: { where: { doneAt: null }, orderBy: { dueAt: 'asc' } },
      unit: { select: { name: true } },
    },
    orderBy: { scheduledAt: 'asc' },
    take: 20,
  });
  for (const i of interviews) {
    const href = `/m/interviews/${i.id}`;
    if (i.status !== 'HELD') {
      drafts.push({
        kind: 'interview',
        id: i.id,
        subject: i.unit.name,
        title: `约谈通知（${label('InterviewStatus', i.status)}）`,
        detail: `${shanghaiDate(i.scheduledAt)} ${i.place}：${i.reason}`,
        due: i.scheduledAt.toISOString(),
        late: false,
        href,
      });
    }
    for (const task of i.tasks) {
      drafts.push({
        kind: 'interview',
        id: task.id,
        subject: i.unit.name,
        title: '落实约谈整改承诺',
        detail: task.text,
        due: task.dueAt.toISOString(),
        late: task.dueAt < t,
        href,
      });
    }
  }
  // Lightning warnings in force that my unit was told of and has not answered (issue #20).
  const unit = await p.unit.findUniqueOrThrow({
    where: { id: me.unitId },
    select: {
      id: true,
      name: true,
      regionCode: true,
      creditLevel: true,
      riskColor: true,
      lastTestDate: true,
      nextDueDate: true,
    },
  });
  // The periodic test, from the first reminder day until a report moves the cycle on (as its
  // DingTalk to-do, core/todos/subjects/test-due.ts).
  if (unit.nextDueDate && testDueStage(unit.nextDueDate, t, c.testDueRemindDays)) {
    drafts.push({
      kind: 'test',
      id: unit.id,
      subject: unit.name,
      title: '安排防雷装置定期检测',
      detail: `请委托有资质的检测机构于 ${shanghaiDate(unit.nextDueDate)} 前完成检测${
        unit.lastTestDate ? `（上次检测 ${shanghaiDate(unit.lastTestDate)}）` : ''
      }`,
      due: unit.nextDueDate.toISOString(),
      late: unit.nextDueDate < t,
      href: `/m/units/${unit.id}`,
    });
  }
  const warnings = await p.lightningWarning.findMany({
    where: {
      expiresAt: { gt: t },
      status: 'ACTIVE',
      units: { some: { unitId: unit.id, answeredAt: null } },
    },
    orderBy: { issuedAt: 'desc' },
    take: 50,
  });
  for (const w of warnings) {
    drafts.push({
      kind: 'warning',
      id: w.id,
      subject: unit.name,
      title: `${label('WarningLevel', w.level)}：请落实防范措施并确认收到`,
      detail: w.text,
      due: w.expiresAt.toISOString(),
      late: false,
      href: `/m/warnings/${encodeURIComponent(w.id)}?from=MINIAPP`,
    });
  }
  // Differentiated supervision: a qualifying unit's code inspection when due.
  const serious = (await seriousOpenHazards(p, [unit.id])).get(unit.id) ?? 0;
  if (codeInspectionEligible({ ...unit, seriousOpenHazards: serious }, rule)) {
    const last = await p.inspection.findFirst({
      where: { unitId: unit.id, mode: 'CODE', status: { in: ['SUBMITTED', 'REVIEWED'] } },
      orderBy: { submittedAt: 'desc' },
      select: { submittedAt: true },
    });
    const due = nextCodeInspectionDue(last?.submittedAt ?? null, rule, t);
    if (due <= t) {
      drafts.push({
        kind: 'inspection',
        id: unit.id,
        subject: unit.name,
        title: '码上检查到期',
        detail: '请扫描张贴在现场的监管码，完成本期防雷安全检查',
        due: due.toISOString(),
        late: false,
        href: `/m/units/${unit.id}/sign`,
      });
    }
  }
  return drafts;
}

/** Interviews I summoned that wait for me: the unit asked to reschedule, or the outcome is to be recorded. */
async function summonedInterviewTasks(c: TaskContext): Promise<Draft[]> {
  const { p, me, t } = c;
  const drafts: Draft[] = [];
  if (!me.roles.includes('REGULATOR')) return drafts;
  const mine = await p.interview.findMany({
    where: {
      createdById: me.id,
      OR: [
        { status: 'RESCHEDULE_REQUESTED' },
        { status: { in: ['NOTIFIED', 'ACKNOWLEDGED'] }, scheduledAt: { lte: t } },
      ],
    },
    include: { unit: { select: { name: true } } },
    orderBy: { scheduledAt: 'asc' },
    take: 20,
  });
  for (const i of mine) {
    const rescheduling = i.status === 'RESCHEDULE_REQUESTED';
    drafts.push({
      kind: 'interview',
      id: i.id,
      subject: i.unit.name,
      title: rescheduling ? '单位申请约谈改期' : '登记约谈结果',
      detail: i.reason,
      due: i.scheduledAt.toISOString(),
      late: false,
      href: `/m/interviews/${i.id}`,
    });
  }
  return drafts;
}

/** Inspections assigned to me and not yet submitted (code inspections I started, 双随机 draws). */
async function inspectionTasks(c: TaskContext): Promise<Draft[]> {
  const { p, me } = c;
  const drafts: Draft[] = [];
  const open = await p.inspection.findMany({
    where: { status: 'IN_PROGRESS' },
    select: { id: true, mode: true, inspectorIds: true, startedAt: true, unit: { select: { name: true } } },
    orderBy: { startedAt: 'asc' },
    take: 500,
  });
  for (const i of open.filter((x) => x.inspectorIds.includes(me.id))) {
    drafts.push({
      kind: 'inspection',
      id: i.id,
      subject: i.unit?.name ?? '',
      title: `${label('InspectionMode', i.mode)}：待完成`,
      detail: '检查尚未提交，请逐项填写后提交',
      due: null,
      late: false,
      href: `/m/inspections/${i.id}`,
    });
  }
  return drafts;
}

/** A testing agency's staff: the open plans they test or filed (scan in on site, then report). */
async function planTasks(c: TaskContext): Promise<Draft[]> {
  const { p, me, scope, t } = c;
  const drafts: Draft[] = [];
  if (scope.agencyIds.length === 0) return drafts;
  const mine = await p.tester.findMany({ where: { personId: me.id }, select: { id: true } });
  const plans = await p.testPlan.findMany({
    where: {
      agencyId: { in: scope.agencyIds },
      status: { in: ['PLANNED', 'ON_SITE'] },
      OR: [{ filedById: me.id }, { testerIds: { hasSome: mine.map((x) => x.id) } }],
    },
    select: { id: true, status: true, plannedDate: true, reportDueAt: true, unit: { select: { name: true } } },
    orderBy: { reportDueAt: 'asc' },
    take: 50,
  });
  for (const plan of plans) {
    const planned = plan.status === 'PLANNED';
    drafts.push({
      kind: 'plan',
      id: plan.id,
      subject: plan.unit.name,
      title: `${planned ? '到场后扫码开始检测' : '提交检测报告'}（计划 ${shanghaiDate(plan.plannedDate)} 检测）`,
      // Like a hazard's deadline line: the date and 「剩余 N 个工作日」 / 「已逾期 N 个工作日」.
      detail: `报告期限 ${shanghaiDate(plan.reportDueAt)}（${dueText(plan.reportDueAt, t).text}）`,
      due: plan.reportDueAt.toISOString(),
      late: plan.reportDueAt < t,
      href: `/m/test-plans/${plan.id}`,
    });
  }
  return drafts;
}

/** Every source, in the order their tasks are listed before sorting. */
export const TASK_SOURCES = [
  hazardTasks,
  approvalTasks,
  unitTasks,
  summonedInterviewTasks,
  inspectionTasks,
  planTasks,
] as const;
