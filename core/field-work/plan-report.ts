// A test report meets its plan (浙里防雷安全: plan → on-site scan → report through the platform).
// The report names its plan (`planId`), or is matched to the agency's open plan for the unit. The
// plan's field record is the trusted on-site scan: its location stands in for the scan the report
// claims (rule R06). Once the report is recorded the plan is REPORTED, and late when the report
// came after its due date (agency credit, core/credit/agency-credit.ts).
import type { Tx } from '../db';
import { shanghaiDate } from '../domain/working-days';
import { ConflictError, RuleError } from '../errors';

/** The plan a report belongs to, as the anomaly rules and the link step need it. */
export interface ReportPlan {
  id: string;
  plannedDate: string;
  reportDueAt: Date;
  late: boolean;
  /** The field record's scan, when the plan was started on site. */
  visit: { scannedAt: Date; location: { lat: number; lng: number } | null } | null;
}

/** Finds the report's plan; a named plan already reported (a report submitted twice) is refused. */
export async function planForReport(
  tx: Tx,
  agencyId: string,
  unitId: string,
  planId: string | undefined,
): Promise<ReportPlan | null> {
  const include = { visit: { select: { scannedAt: true, location: true } }, report: { select: { reportNo: true } } };
  const plan = planId
    ? await tx.testPlan.findFirst({ where: { id: planId, agencyId }, include })
    : await tx.testPlan.findFirst({
        where: { agencyId, unitId, status: { in: ['ON_SITE', 'PLANNED'] } },
        // A plan started on site first, then the earliest planned.
        orderBy: [{ status: 'desc' }, { plannedDate: 'asc' }],
        include,
      });
  if (!plan) {
    if (planId) throw new RuleError('TEST_PLAN_NOT_FOUND', `检测计划 ${planId} 不存在或不属于本机构`, 'planId');
    return null;
  }
  if (plan.unitId !== unitId) {
    throw new RuleError('TEST_PLAN_OTHER_UNIT', '报告的受检单位与检测计划的受检单位不一致', 'unitUscc');
  }
  if (plan.status === 'REPORTED') {
    throw new ConflictError(
      'TEST_PLAN_ALREADY_REPORTED',
      `该检测计划已提交检测报告 ${plan.report?.reportNo ?? ''}，请勿重复提交`.replace(' ，', '，'),
    );
  }
  if (plan.status === 'CANCELLED') throw new ConflictError('TEST_PLAN_CANCELLED', '该检测计划已取消，不能提交报告');
  const loc = plan.visit?.location as { lat: number; lng: number } | null | undefined;
  return {
    id: plan.id,
    plannedDate: shanghaiDate(plan.plannedDate),
    reportDueAt: plan.reportDueAt,
    late: plan.late,
    visit: plan.visit
      ? { scannedAt: plan.visit.scannedAt, location: loc ? { lat: loc.lat, lng: loc.lng } : null }
      : null,
  };
}

/** Closes the plan with its report (in the report's transaction); returns whether it came late. */
export async function linkReportToPlan(tx: Tx, plan: ReportPlan, reportId: string, now: Date): Promise<boolean> {
  const late = plan.late || now > plan.reportDueAt;
  const done = await tx.testPlan.updateMany({
    where: { id: plan.id, status: { in: ['PLANNED', 'ON_SITE'] } },
    data: { status: 'REPORTED', reportId, reportedAt: now, late },
  });
  if (done.count === 0) throw new ConflictError('TEST_PLAN_ALREADY_REPORTED', '该检测计划已提交检测报告，请勿重复提交');
  return late;
}
