// A regulator reviews a flagged report: confirms which anomaly hits hold and records the QX/T 317
// quality result. Confirmed hits and quality results feed the agency's credit (core/credit).
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { NotFoundError, ValidationError } from '../errors';
import { assertRegulatorFor } from '../authz/person-checks';
import type { AnomalyHit } from './anomaly-rules';

/** A review decision. */
export const reviewInput = z.object({
  /** Rule codes the regulator confirmed (others are recorded as not confirmed). */
  confirmed: z
    .array(z.string().regex(/^R(0[1-9]|1[0-2])$/, '规则编号应为 R01–R12'))
    .max(12)
    .default([]),
  qualityResult: z.enum(['PASS', 'MINOR', 'SERIOUS'], { message: '质量考核结果应为 PASS、MINOR 或 SERIOUS' }),
});

/** Stored hit with the regulator's confirmation. */
export type ReviewedHit = AnomalyHit & { confirmed?: boolean };

/** Records the review of report `reportId` by `regulatorId`. */
export async function reviewTestReport(
  prisma: PrismaClient,
  regulatorId: string,
  reportId: string,
  raw: unknown,
): Promise<void> {
  const parsed = reviewInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '报告核查结论');
  const { confirmed, qualityResult } = parsed.data;
  await prisma.$transaction(async (tx) => {
    const report = await tx.testReport.findUnique({
      where: { id: reportId },
      include: { unit: { select: { regionCode: true } } },
    });
    if (!report) throw new NotFoundError('TEST_REPORT_NOT_FOUND', '检测报告不存在');
    await assertRegulatorFor(tx, regulatorId, report.unit.regionCode);
    const hits = (report.anomalies as unknown as ReviewedHit[]).map((h) => ({
      ...h,
      confirmed: confirmed.includes(h.code),
    }));
    await tx.testReport.update({
      where: { id: reportId },
      data: { anomalies: hits as unknown as object, qualityResult, status: 'REVIEWED' },
    });
    await appendAudit(tx, {
      actorPersonId: regulatorId,
      actorKind: 'PERSON',
      action: 'test-report.reviewed',
      subjectType: 'test-report',
      subjectId: reportId,
      data: { confirmed, qualityResult },
    });
  });
}
