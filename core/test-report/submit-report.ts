// A testing agency submits a report (issue #8 part 7): validated at the edge, checked against the
// anomaly rules, and written in one transaction with its audit event and, when a rule hits, the
// alert to the responsible regulators with the evidence. A rejected report writes nothing. The
// report is the unit's periodic test (issue #8 part 8): the unit's test cycle moves on and its
// risk code is recomputed in the same transaction. The report closes its testing plan (issue #22,
// core/field-work/plan-report.ts): the plan's on-site scan is the trusted one (R06), a plan never
// started on site trips R13, no plan at all R14, and a report after the plan's due date is late.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appendAudit } from '../audit';
import { drawSpotCheck, SUPERVISION } from '../credit/agency-credit';
import type { PrismaClient, Tx } from '../db';
import { nextTestDue } from '../domain/test-cycle';
import { endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from '../domain/working-days';
import { linkReportToPlan, planForReport, type ReportPlan } from '../field-work/plan-report';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { regulatorsOfUnit } from '../org/regulators';
import { addDeliveries } from '../outbox/add-deliveries';
import { recomputeRiskCode } from '../risk/risk-code';
import {
  checkReport,
  type AnomalyHit,
  type AnomalyThresholds,
  type RuleContext,
  type SameDayReport,
} from './anomaly-rules';
import { reportInputSchema, type Measurement, type ReportInput } from './report-input';

/** Options of a submission. */
export interface SubmitReportOptions {
  thresholds: AnomalyThresholds;
  /** Folder the report files are kept in (content-addressed). */
  filesDir: string;
  publicBaseUrl: string;
  now?: Date;
  /** The spot-check draw, a number in [0, 1) (tests inject it; default a random one). */
  spotCheckDraw?: () => number;
}

/** What a submission produced. */
export interface SubmitReportResult {
  reportId: string;
  anomalies: AnomalyHit[];
  /** Picked for the regulators' quality check (not told to the agency). */
  spotCheck: boolean;
  /** The testing plan the report closed, and whether it came after the plan's due date. */
  plan: { id: string; late: boolean } | null;
  deliveryIds: string[];
}

/** Validates, checks and records a report submitted by agency `agencyId`. */
export async function submitTestReport(
  prisma: PrismaClient,
  agencyId: string,
  raw: unknown,
  opts: SubmitReportOptions,
): Promise<SubmitReportResult> {
  const parsed = reportInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '检测报告', { forPrograms: true });
  const input = parsed.data;
  const file = Buffer.from(input.file.contentBase64, 'base64');
  if (file.length === 0) throw new ValidationError('检测报告不合法：file.contentBase64 报告文件不能为空');
  const now = opts.now ?? new Date();

  return prisma.$transaction(async (tx) => {
    const agency = await tx.agency.findUnique({ where: { id: agencyId } });
    if (!agency) throw new NotFoundError('AGENCY_NOT_FOUND', '检测机构不存在');
    const unit = await tx.unit.findUnique({ where: { uscc: input.unitUscc } });
    if (!unit)
      throw new ValidationError(`检测报告不合法：unitUscc 未找到统一社会信用代码为 ${input.unitUscc} 的重点单位`);
    if (await tx.testReport.findUnique({ where: { reportNo: input.reportNo }, select: { id: true } })) {
      throw new ConflictError('TEST_REPORT_DUPLICATE', `报告编号 ${input.reportNo} 已提交过`);
    }
    const plan = await planForReport(tx, agencyId, unit.id, input.planId);
    const ctx = await gatherContext(tx, input, agency, unit, plan, opts, now);
    const anomalies = checkReport(ctx);
    const spotCheck = drawSpotCheck(agency.creditGrade, opts.spotCheckDraw);

    const sha256 = createHash('sha256').update(file).digest('hex');
    const ext = path.extname(input.file.name).toLowerCase();
    await fs.mkdir(opts.filesDir, { recursive: true });
    await fs.writeFile(path.join(opts.filesDir, `${sha256}${ext}`), file);

    const report = await tx.testReport.create({
      data: {
        reportNo: input.reportNo,
        agencyId,
        unitId: unit.id,
        testerIds: [...new Set(input.testerIds)],
        inspectionDate: startOfShanghaiDay(input.inspectionDate),
        issueDate: startOfShanghaiDay(input.issueDate),
        uploadDate: now,
        scanGeo: ctx.report.scanGeo,
        photos: input.photos,
        measurements: input.measurements,
        instruments: input.instruments,
        conclusion: input.conclusion,
        anomalies: anomalies as unknown as object,
        status: anomalies.length > 0 ? 'FLAGGED' : 'CHECKED',
        spotCheck,
        fileName: input.file.name,
        fileSha256: sha256,
        fileSize: file.length,
      },
    });
    const late = plan ? await linkReportToPlan(tx, plan, report.id, now) : false;
    const cycle = await advanceTestCycle(tx, unit, input.inspectionDate, now);
    await appendAudit(tx, {
      actorKind: 'SYSTEM',
      action: 'test-report.received',
      subjectType: 'test-report',
      subjectId: report.id,
      data: {
        reportNo: report.reportNo,
        agencyId,
        unitId: unit.id,
        anomalies: anomalies.map((a) => a.code),
        spotCheck,
        fileSha256: sha256,
        cycle,
        planId: plan?.id ?? null,
        late,
      },
    });
    const risk = await recomputeRiskCode(tx, unit.id, { now, publicBaseUrl: opts.publicBaseUrl });
    const deliveryIds = [...risk.deliveryIds];
    const regulators = anomalies.length > 0 || spotCheck ? await regulatorsOfUnit(tx, unit) : [];
    const detail = `${opts.publicBaseUrl.replace(/\/$/, '')}/m/reports/${encodeURIComponent(report.id)}`;
    const toRegulators = (purpose: string, template: string, data: Record<string, unknown>) =>
      addDeliveries(
        tx,
        regulators.map((id) => ({
          purpose,
          channel: 'ROBOT_OTO' as const,
          template,
          data,
          recipientPersonId: id,
          priority: 4,
          subjectType: 'test-report',
          subjectId: report.id,
        })),
      );
    if (anomalies.length > 0) {
      const data = {
        reportNo: report.reportNo,
        agency: { name: agency.name, level: agency.level === 'A' ? '甲' : '乙' },
        unit: { name: unit.name, uscc: unit.uscc },
        inspectionDate: input.inspectionDate,
        issueDate: input.issueDate,
        // The notice has room for 8 hits; the record keeps them all.
        hits: anomalies.slice(0, 8).map((a) => ({ rule: a.code, detail: a.message.slice(0, 120) })),
        links: { detail },
      };
      deliveryIds.push(...(await toRegulators('test-report.anomaly', 'test-report-anomaly', data)));
    }
    if (spotCheck) {
      const grade = agency.creditGrade;
      deliveryIds.push(
        ...(await toRegulators('test-report.spot-check', 'test-report-spot-check', {
          agency: { name: agency.name, grade, supervision: SUPERVISION[grade].text },
          reportNo: report.reportNo,
          unit: { name: unit.name },
          links: { detail },
        })),
      );
    }
    return { reportId: report.id, anomalies, spotCheck, plan: plan ? { id: plan.id, late } : null, deliveryIds };
  });
}

/**
 * A report on a test newer than the unit's last one moves the unit's cycle on: last test that day,
 * next one due a cycle later, by the end of that day (overdue from the day after, as deadlines in
 * core/domain/working-days). A test dated in the future (anomaly R01) does not.
 */
async function advanceTestCycle(
  tx: Tx,
  unit: { id: string; lastTestDate: Date | null; halfYearCycle: boolean },
  inspectionDate: string,
  now: Date,
) {
  const tested = startOfShanghaiDay(inspectionDate);
  if (inspectionDate > shanghaiDate(now) || (unit.lastTestDate && unit.lastTestDate >= tested)) return undefined;
  const nextDue = nextTestDue(inspectionDate, unit.halfYearCycle);
  await tx.unit.update({
    where: { id: unit.id },
    data: { lastTestDate: tested, nextDueDate: endOfShanghaiDay(nextDue) },
  });
  return { lastTestDate: inspectionDate, nextDueDate: nextDue };
}

async function gatherContext(
  tx: Tx,
  input: ReportInput,
  agency: { id: string; level: 'A' | 'B'; certValidUntil: Date },
  unit: { id: string; lat: number | null; lng: number | null; lpClass: number; halfYearCycle: boolean },
  plan: ReportPlan | null,
  opts: SubmitReportOptions,
  now: Date,
): Promise<RuleContext> {
  // The plan's field record is the scan LeiGuard saw itself; it outranks what the report claims.
  const scanned = plan?.visit?.location;
  if (scanned) input = { ...input, scanGeo: { ...scanned, at: plan!.visit!.scannedAt.toISOString() } };
  const testerIds = [...new Set(input.testerIds)];
  const testers = await tx.tester.findMany({
    where: { id: { in: testerIds } },
    select: { id: true, name: true, agencyId: true, certValidUntil: true },
  });
  const day = startOfShanghaiDay(input.inspectionDate);
  const sameDayRows = await tx.testReport.findMany({
    where: { inspectionDate: day, testerIds: { hasSome: testerIds } },
    select: {
      reportNo: true,
      testerIds: true,
      unitId: true,
      scanGeo: true,
      unit: { select: { lat: true, lng: true } },
    },
  });
  const sameDay: SameDayReport[] = sameDayRows.map((r) => {
    const geo = r.scanGeo as { lat: number; lng: number; at: string } | null;
    return {
      reportNo: r.reportNo,
      testerIds: r.testerIds,
      unitId: r.unitId,
      lat: geo?.lat ?? r.unit.lat,
      lng: geo?.lng ?? r.unit.lng,
      scanAt: geo?.at ? new Date(geo.at) : null,
    };
  });
  // Photo reuse: jsonb containment per hash (GIN-free but indexed by nothing else; reports per
  // agency are few thousand a year, and each hash is one probe).
  const reusedPhotos: Array<{ hash: string; reportNo: string }> = [];
  for (const hash of new Set(input.photos.map((p) => p.hash.toLowerCase()))) {
    const rows = await tx.$queryRaw<Array<{ reportNo: string }>>`
      SELECT "reportNo" FROM "TestReport" WHERE photos @> ${JSON.stringify([{ hash }])}::jsonb ORDER BY "createdAt" LIMIT 3`;
    for (const r of rows) reusedPhotos.push({ hash, reportNo: r.reportNo });
  }
  const prev = await tx.testReport.findFirst({
    where: { unitId: unit.id, inspectionDate: { lt: day } },
    orderBy: { inspectionDate: 'desc' },
    select: { reportNo: true, inspectionDate: true, measurements: true },
  });
  return {
    now,
    thresholds: opts.thresholds,
    report: { ...input, photos: input.photos.map((p) => ({ ...p, hash: p.hash.toLowerCase() })) },
    agency,
    agencyId: agency.id,
    testers,
    unit,
    sameDay,
    reusedPhotos,
    plan: plan ? { plannedDate: plan.plannedDate, fieldRecord: plan.visit !== null } : null,
    previous: prev
      ? {
          reportNo: prev.reportNo,
          inspectionDate: prev.inspectionDate,
          measurements: prev.measurements as unknown as Measurement[],
        }
      : null,
  };
}
