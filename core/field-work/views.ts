// What people read about field work: a testing plan with its field record and report, and a unit's
// page (issue #22 part 5: the planned test, the field record, the report, and the year's
// inspections against the cap, so a manager can see who came and why). Built from the record.
import type { PrismaClient } from '../db';
import { label, lpClassLabel } from '../domain/labels';
import { shanghaiDate, shanghaiMinute, workingDaysBetween } from '../domain/working-days';
import { storedExtraItems } from '../inspection/combined-checklist';
import { capFor, shanghaiYear, type InspectionCaps } from '../inspection/inspection-cap';
import { agencyLevelLabel } from './qualification';
import { scanLocationText } from './site-scan';

const VISIT = {
  select: {
    scannedAt: true,
    locationStatus: true,
    distanceM: true,
    distanceFlagged: true,
    person: { select: { name: true } },
  },
} as const;

type VisitRow = {
  scannedAt: Date;
  locationStatus: 'GIVEN' | 'DENIED' | 'UNAVAILABLE';
  distanceM: number | null;
  distanceFlagged: boolean;
  person: { name: string };
};

function visitView(v: VisitRow | null) {
  return v
    ? {
        at: shanghaiMinute(v.scannedAt),
        by: v.person.name,
        locationLabel: label('ScanLocationStatus', v.locationStatus),
        text: scanLocationText(v),
        distanceM: v.distanceM,
        distanceFlagged: v.distanceFlagged,
      }
    : null;
}

/** 「剩余 3 个工作日」 / 「已逾期 2 个工作日」 for a due date. */
export function dueText(due: Date, now: Date): { text: string; overdue: boolean } {
  if (due < now) return { text: `已逾期 ${Math.max(1, workingDaysBetween(due, now))} 个工作日`, overdue: true };
  return { text: `剩余 ${workingDaysBetween(now, due)} 个工作日`, overdue: false };
}

const PLAN_INCLUDE = {
  agency: { select: { name: true, level: true } },
  unit: { select: { id: true, name: true, lpClass: true, address: true } },
  visit: VISIT,
  report: { select: { id: true, reportNo: true, uploadDate: true, conclusion: true, status: true, anomalies: true } },
} as const;

type PlanRow = {
  id: string;
  status: 'PLANNED' | 'ON_SITE' | 'REPORTED' | 'CANCELLED';
  plannedDate: Date;
  testerIds: string[];
  installations: string[];
  reportDueAt: Date;
  late: boolean;
  via: string;
  createdAt: Date;
  agency: { name: string; level: string };
  unit: { id: string; name: string; lpClass: number; address: string };
  visit: VisitRow | null;
  report: {
    id: string;
    reportNo: string;
    uploadDate: Date;
    conclusion: string;
    status: string;
    anomalies: unknown;
  } | null;
};

async function planViews(prisma: PrismaClient, rows: PlanRow[], now: Date) {
  const testerIds = [...new Set(rows.flatMap((r) => r.testerIds))];
  const testers = new Map(
    (await prisma.tester.findMany({ where: { id: { in: testerIds } }, select: { id: true, name: true } })).map((t) => [
      t.id,
      t.name,
    ]),
  );
  return rows.map((p) => {
    const open = p.status === 'PLANNED' || p.status === 'ON_SITE';
    return {
      id: p.id,
      status: p.status,
      statusLabel: label('TestPlanStatus', p.status),
      plannedDate: shanghaiDate(p.plannedDate),
      filedAt: shanghaiMinute(p.createdAt),
      via: p.via,
      agency: { name: p.agency.name, level: agencyLevelLabel(p.agency.level === 'A' ? 'A' : 'B') },
      unit: { id: p.unit.id, name: p.unit.name, lpClass: lpClassLabel(p.unit.lpClass), address: p.unit.address },
      testers: p.testerIds.map((id) => testers.get(id) ?? id),
      installations: p.installations,
      fieldRecord: visitView(p.visit),
      reportDueDate: shanghaiDate(p.reportDueAt),
      due: open ? dueText(p.reportDueAt, now) : null,
      late: p.late,
      report: p.report
        ? {
            id: p.report.id,
            reportNo: p.report.reportNo,
            uploadedAt: shanghaiMinute(p.report.uploadDate),
            conclusionLabel: label('TestConclusion', p.report.conclusion),
            statusLabel: label('TestReportStatus', p.report.status),
            anomalies: (p.report.anomalies as Array<{ code: string }>).map((a) => a.code),
          }
        : null,
    };
  });
}

/** One plan as its page shows it. */
export async function testPlanView(prisma: PrismaClient, planId: string, now = new Date()) {
  const row = await prisma.testPlan.findUnique({ where: { id: planId }, include: PLAN_INCLUDE });
  return row ? (await planViews(prisma, [row], now))[0]! : null;
}

/** An agency's plans, open first then the latest, for its staff's list. */
export async function agencyPlans(prisma: PrismaClient, agencyId: string, now = new Date()) {
  const rows = await prisma.testPlan.findMany({
    where: { agencyId },
    include: PLAN_INCLUDE,
    orderBy: [{ status: 'asc' }, { plannedDate: 'desc' }],
    take: 50,
  });
  return planViews(prisma, rows, now);
}

/** The unit's page: its plans (open and of this year), and this year's inspections against the cap. */
export async function unitFieldWork(prisma: PrismaClient, unitId: string, caps: InspectionCaps, now = new Date()) {
  const unit = await prisma.unit.findUnique({
    where: { id: unitId },
    select: {
      id: true,
      name: true,
      address: true,
      category: true,
      lpClass: true,
      lastTestDate: true,
      nextDueDate: true,
    },
  });
  if (!unit) return null;
  const { from, to, year } = shanghaiYear(now);
  const plans = await prisma.testPlan.findMany({
    where: {
      unitId,
      OR: [{ status: { in: ['PLANNED', 'ON_SITE'] } }, { plannedDate: { gte: from, lt: to } }],
    },
    include: PLAN_INCLUDE,
    orderBy: { plannedDate: 'desc' },
    take: 20,
  });
  const inspections = await prisma.inspection.findMany({
    where: { unitId, orgId: { not: null }, status: { not: 'CANCELLED' }, startedAt: { gte: from, lt: to } },
    include: {
      org: { select: { name: true } },
      checklist: { select: { name: true, version: true } },
      visit: VISIT,
      _count: { select: { items: true } },
    },
    orderBy: { startedAt: 'desc' },
  });
  const inspectorIds = [...new Set(inspections.flatMap((i) => i.inspectorIds))];
  const names = new Map(
    (await prisma.person.findMany({ where: { id: { in: inspectorIds } }, select: { id: true, name: true } })).map(
      (p) => [p.id, p.name],
    ),
  );
  const cap = capFor(caps, unit.category);
  return {
    unit: {
      id: unit.id,
      name: unit.name,
      address: unit.address,
      categoryLabel: label('UnitCategory', unit.category),
      lpClass: lpClassLabel(unit.lpClass),
      lastTestDate: unit.lastTestDate ? shanghaiDate(unit.lastTestDate) : null,
      nextDueDate: unit.nextDueDate ? shanghaiDate(unit.nextDueDate) : null,
      testOverdue: unit.nextDueDate ? unit.nextDueDate < now : false,
    },
    plans: await planViews(prisma, plans, now),
    inspections: {
      year,
      count: inspections.length,
      cap,
      atCap: inspections.length >= cap,
      items: inspections.map((i) => ({
        id: i.id,
        modeLabel: label('InspectionMode', i.mode),
        statusLabel: label('InspectionStatus', i.status),
        org: i.org?.name ?? null,
        inspectors: i.inspectorIds.map((id) => names.get(id) ?? '—'),
        plannedAt: shanghaiMinute(i.startedAt),
        visit: visitView(i.visit),
        checklist: `${i.checklist.name}（第 ${i.checklist.version} 版）`,
        combinedItems: storedExtraItems(i.extraItems).length,
        resultLabel: i.result ? label('InspectionResult', i.result) : null,
        score: i.score,
        overCap: i.overCap,
        overCapReason: i.overCapReason,
      })),
    },
  };
}
