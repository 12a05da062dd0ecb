// Agency credit evaluation (issue #8 part 9). The table of weights is
// in the README ("Agency credit"); keep both in step (test/e2e/field-work.browser.test.ts reads it). No national scale
// exists (UNCONFIRMED): this follows the indicator groups (检测业务 / 诚信服务) of Ningbo's
// 《防雷装置检测机构信用等级评定管理办法(试行)》 with a
// documented deduction table, so a bureau can read why an agency got its grade.
//
//   start 100
//   − 3 per report rated 一般不合格 (MINOR), − 10 per 严重不合格 (SERIOUS)   [QX/T 317 quality checks]
//   − 10 per anomaly confirmed by a regulator that points at fabrication
//        (R01 dates, R05 travel, R06 not on site, R07 photo reuse, R09 copied/contradictory,
//        R13 planned but never scanned on site)
//   − 4  per other confirmed anomaly
//   − 1  per late upload (R02, objective, counted unconfirmed), at most − 10
//   − 2  per testing plan whose report came after its due date (TEST_REPORT_DUE_WORKING_DAYS after
//        the on-site scan, issue #22), or was still missing then; at most − 20; by the due date's year
//   − 10 per failed inspection of the agency (双随机 / 专项 checks of agencies)
//   grade: ≥ 90 A 守信 · ≥ 75 B 基本守信 · ≥ 60 C 失信警示 · < 60 D 严重失信
import { randomInt } from 'node:crypto';
import { appendAudit } from '../audit';
import type { CreditGrade, PrismaClient } from '../db';

const FABRICATION = new Set(['R01', 'R05', 'R06', 'R07', 'R09', 'R13']);
/** Points lost per testing plan whose report came late, and at most in a year. */
export const LATE_REPORT_POINTS = 2;
export const LATE_REPORT_MAX = 20;

/** One line of the evaluation: what was counted and what it cost. */
export interface CreditItem {
  key:
    | 'quality.minor'
    | 'quality.serious'
    | 'anomaly.fabrication'
    | 'anomaly.other'
    | 'upload.late'
    | 'report.late'
    | 'inspection.failed';
  label: string;
  count: number;
  points: number;
}

/** Grade of a score. */
export function gradeOf(score: number): CreditGrade {
  return score >= 90 ? 'A' : score >= 75 ? 'B' : score >= 60 ? 'C' : 'D';
}

/**
 * Differentiated supervision per grade: LeiGuard's own grade meanings and spot-check ratios; no public rule
 * links a credit grade to them (UNCONFIRMED).
 */
export const SUPERVISION: Record<CreditGrade, { spotCheckRatio: number; codeInspection: boolean; text: string }> = {
  A: { spotCheckRatio: 0.05, codeInspection: true, text: '守信：抽查比例 5%，可采用码上检查' },
  B: { spotCheckRatio: 0.1, codeInspection: false, text: '基本守信：常规抽查 10%' },
  C: { spotCheckRatio: 0.3, codeInspection: false, text: '失信警示：抽查比例提高到 30%，列入重点考核' },
  D: { spotCheckRatio: 1, codeInspection: false, text: '严重失信：每个项目核查，约谈并列入黑名单管理' },
};

/**
 * Whether a report arriving from an agency of `grade` is picked for the regulators' quality check
 * (抽查) at the grade's ratio: a random draw when it arrives (nothing an agency can steer, such as
 * its report number), every report at grade D. `draw` gives a number in [0, 1) (tests inject it).
 */
export function drawSpotCheck(
  grade: CreditGrade,
  draw: () => number = () => randomInt(1_000_000) / 1_000_000,
): boolean {
  return draw() < SUPERVISION[grade].spotCheckRatio;
}

/** Evaluates agency `agencyId` for `year` (Shanghai calendar), stores it and sets the agency's grade. */
export async function evaluateAgencyCredit(
  prisma: PrismaClient,
  agencyId: string,
  year: number,
  opts: { actorPersonId?: string } = {},
): Promise<{ score: number; grade: CreditGrade; items: CreditItem[] }> {
  const from = new Date(`${year}-01-01T00:00:00+08:00`);
  const to = new Date(`${year + 1}-01-01T00:00:00+08:00`);
  return prisma.$transaction(async (tx) => {
    // Aggregates in SQL: quality results by kind, anomaly hits by code (jsonb), failed inspections.
    const quality = await tx.testReport.groupBy({
      by: ['qualityResult'],
      where: { agencyId, issueDate: { gte: from, lt: to }, qualityResult: { in: ['MINOR', 'SERIOUS'] } },
      _count: { _all: true },
    });
    const hits = await tx.$queryRaw<Array<{ code: string; confirmed: boolean; n: bigint }>>`
      SELECT h->>'code' AS code, COALESCE((h->>'confirmed')::boolean, false) AS confirmed, count(*) AS n
      FROM "TestReport" r, jsonb_array_elements(r.anomalies) h
      WHERE r."agencyId" = ${agencyId} AND r."issueDate" >= ${from} AND r."issueDate" < ${to}
      GROUP BY 1, 2`;
    const lateReports = await tx.testPlan.count({
      where: { agencyId, late: true, status: { not: 'CANCELLED' }, reportDueAt: { gte: from, lt: to } },
    });
    const inspectionsFailed = await tx.inspection.count({
      where: { agencyId, result: 'FAIL', startedAt: { gte: from, lt: to } },
    });

    const q = (r: 'MINOR' | 'SERIOUS') => quality.find((x) => x.qualityResult === r)?._count._all ?? 0;
    const sum = (pred: (h: { code: string; confirmed: boolean }) => boolean) =>
      hits.filter(pred).reduce((n, h) => n + Number(h.n), 0);
    const fabrication = sum((h) => h.confirmed && FABRICATION.has(h.code));
    const other = sum((h) => h.confirmed && !FABRICATION.has(h.code) && h.code !== 'R02');
    const late = sum((h) => h.code === 'R02');
    const items: CreditItem[] = [
      { key: 'quality.minor', label: '报告质量考核一般不合格', count: q('MINOR'), points: -3 * q('MINOR') },
      { key: 'quality.serious', label: '报告质量考核严重不合格', count: q('SERIOUS'), points: -10 * q('SERIOUS') },
      { key: 'anomaly.fabrication', label: '经核实的疑似弄虚作假异常', count: fabrication, points: -10 * fabrication },
      { key: 'anomaly.other', label: '经核实的其他报告异常', count: other, points: -4 * other },
      { key: 'upload.late', label: '报告逾期上传', count: late, points: -Math.min(10, late) },
      {
        key: 'report.late',
        label: '现场检测后逾期提交报告',
        count: lateReports,
        points: -Math.min(LATE_REPORT_MAX, LATE_REPORT_POINTS * lateReports),
      },
      { key: 'inspection.failed', label: '监督检查不合格', count: inspectionsFailed, points: -10 * inspectionsFailed },
    ];
    const score = Math.max(0, 100 + items.reduce((n, i) => n + i.points, 0));
    const grade = gradeOf(score);
    await tx.creditEval.upsert({
      where: { agencyId_year: { agencyId, year } },
      create: { agencyId, year, score, grade, items: items as unknown as object },
      update: { score, grade, items: items as unknown as object },
    });
    await tx.agency.update({ where: { id: agencyId }, data: { creditGrade: grade } });
    await appendAudit(tx, {
      actorPersonId: opts.actorPersonId,
      actorKind: opts.actorPersonId ? 'PERSON' : 'SYSTEM',
      action: 'agency.credit-evaluated',
      subjectType: 'agency',
      subjectId: agencyId,
      data: { year, score, grade },
    });
    return { score, grade, items };
  });
}
