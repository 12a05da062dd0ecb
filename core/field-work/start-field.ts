// Scan to start on site (扫码检测, 浙里防雷安全): on the day, a tester of the plan scans the unit's
// supervision code in the mini-app. The scan starts the plan's field record (SiteVisit: time,
// tester, location if allowed, distance from the unit) and sets the report's due date
// TEST_REPORT_DUE_WORKING_DAYS working days later. The caller has checked the code's signature and
// that it is the unit's current code. Refusals (not a tester, no plan for this unit, another unit's
// code, before the planned day, a second scan) write nothing.
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { addWorkingDays, shanghaiDate, shanghaiMinute, startOfShanghaiDay } from '../domain/working-days';
import { ConflictError, NotFoundError, PermissionError, RuleError } from '../errors';
import { recordSiteVisit, type ScanLocation } from './site-scan';

/** A tester's scan. */
export interface FieldScan {
  personId: string;
  /** The unit whose code was scanned, and the code. */
  unitId: string;
  code: string;
  /** The plan the tester started from, when the page knew it. */
  planId?: string;
  scan: ScanLocation;
}

/** What the scan started. */
export interface FieldStartResult {
  planId: string;
  visitId: string;
  unit: { id: string; name: string };
  scannedAt: Date;
  reportDueAt: Date;
  locationStatus: ScanLocation['locationStatus'];
  distanceM: number | null;
  distanceFlagged: boolean;
}

/** Starts the field record of a plan; see the file comment. */
export async function startFieldRecord(
  prisma: PrismaClient,
  input: FieldScan,
  opts: { maxDistanceM: number; dueWorkingDays: number; now?: Date },
): Promise<FieldStartResult> {
  const now = opts.now ?? new Date();
  const today = shanghaiDate(now);
  return prisma.$transaction(async (tx) => {
    const tester = await tx.tester.findUnique({
      where: { personId: input.personId },
      select: { id: true, name: true, agencyId: true, certNo: true, certValidUntil: true },
    });
    if (!tester) throw new RuleError('NOT_A_TESTER', '您的账号未登记为检测机构的检测人员，不能开始现场检测');
    const unit = await tx.unit.findUniqueOrThrow({
      where: { id: input.unitId },
      select: { id: true, name: true, lat: true, lng: true },
    });
    const candidates = await tx.testPlan.findMany({
      where: input.planId
        ? { id: input.planId, agencyId: tester.agencyId }
        : { agencyId: tester.agencyId, unitId: unit.id, status: { in: ['PLANNED', 'ON_SITE'] } },
      orderBy: { plannedDate: 'asc' },
      include: {
        unit: { select: { name: true } },
        visit: { select: { scannedAt: true, person: { select: { name: true } } } },
      },
    });
    if (input.planId && candidates.length === 0) throw new NotFoundError('TEST_PLAN_NOT_FOUND', '检测计划不存在');
    const mine = candidates.filter((p) => p.testerIds.includes(tester.id));
    if (input.planId && candidates[0]!.unitId !== unit.id) {
      throw new RuleError(
        'CODE_OTHER_UNIT',
        `扫描的是「${unit.name}」的监管码，本计划的受检单位是「${candidates[0]!.unit.name}」，请扫描受检单位的监管码`,
      );
    }
    // Not this tester's unit to test: refused like any record outside the caller's reach (403).
    if (mine.length === 0) {
      throw new PermissionError(
        candidates.length > 0
          ? `您不是「${unit.name}」检测计划中的检测人员，请由计划中的检测人员扫码`
          : `本机构没有「${unit.name}」的检测计划，请先提交检测计划，或确认扫描的是受检单位的监管码`,
        candidates.length > 0 ? 'NOT_PLAN_TESTER' : 'NO_PLAN_FOR_UNIT',
      );
    }
    const plan = mine.find((p) => p.status === 'PLANNED') ?? mine[0]!;
    if (plan.status === 'CANCELLED') throw new ConflictError('TEST_PLAN_CANCELLED', '该检测计划已取消');
    if (plan.status === 'REPORTED')
      throw new ConflictError('TEST_PLAN_REPORTED', '该检测计划已提交检测报告，无需再扫码');
    if (plan.visit) {
      throw new ConflictError(
        'FIELD_ALREADY_STARTED',
        `本计划已于 ${shanghaiMinute(plan.visit.scannedAt)} 由 ${plan.visit.person.name} 扫码开始现场检测，请勿重复扫码`,
      );
    }
    const planned = shanghaiDate(plan.plannedDate);
    if (today < planned) {
      throw new RuleError('PLAN_NOT_TODAY', `本计划的检测日期为 ${planned}，请在当天到达现场后再扫码`);
    }
    if (tester.certValidUntil < startOfShanghaiDay(today)) {
      throw new RuleError(
        'TESTER_CERT_EXPIRED',
        `您的检测资格证书（${tester.certNo}）有效期至 ${shanghaiDate(tester.certValidUntil)}，已过期，不能开始现场检测`,
      );
    }
    const reportDueAt = addWorkingDays(today, opts.dueWorkingDays);
    // The status guard makes two phones scanning at once one start and one conflict.
    const moved = await tx.testPlan.updateMany({
      where: { id: plan.id, status: 'PLANNED' },
      data: { status: 'ON_SITE', reportDueAt },
    });
    if (moved.count === 0) throw new ConflictError('FIELD_ALREADY_STARTED', '本计划已开始现场检测，请勿重复扫码');
    const visit = await recordSiteVisit(tx, {
      kind: 'TEST',
      unit,
      personId: input.personId,
      code: input.code,
      scan: input.scan,
      maxDistanceM: opts.maxDistanceM,
      at: now,
      agencyId: tester.agencyId,
      testPlanId: plan.id,
    });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: input.personId,
      action: 'test-plan.field-started',
      subjectType: 'test-plan',
      subjectId: plan.id,
      data: {
        unitId: unit.id,
        visitId: visit.id,
        testerId: tester.id,
        locationStatus: visit.locationStatus,
        distanceM: visit.distanceM,
        distanceFlagged: visit.distanceFlagged,
        reportDueAt: shanghaiDate(reportDueAt),
      },
    });
    return {
      planId: plan.id,
      visitId: visit.id,
      unit: { id: unit.id, name: unit.name },
      scannedAt: now,
      reportDueAt,
      locationStatus: visit.locationStatus,
      distanceM: visit.distanceM,
      distanceFlagged: visit.distanceFlagged,
    };
  });
}
