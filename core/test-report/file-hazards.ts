// Failed items of a test report become hazards (source 定期检测) through the one filing path,
// core/hazard/file-hazard.ts, each with its own alert. Filing twice files nothing new.
import type { HazardType, PrismaClient } from '../db';
import { NotFoundError } from '../errors';
import { fileHazard } from '../hazard/file-hazard';
import type { Measurement } from './report-input';

/** Hazard type per measured item: LeiGuard's own mapping of a failed value to a hazard type; no public rule sets it. */
export const HAZARD_OF_ITEM: Record<Measurement['item'], HazardType> = {
  接地电阻: 'EARTH_R',
  过渡电阻: 'BONDING',
  SPD压敏电压: 'SPD_FAIL',
  SPD泄漏电流: 'SPD_FAIL',
  接闪器规格: 'AIR_TERM',
  引下线间距: 'DOWN_COND',
  土壤电阻率: 'OTHER',
};

/** Files one hazard per hazard type among the report's failed items; returns the new hazards' ids and deliveries. */
export async function fileHazardsFromReport(
  prisma: PrismaClient,
  regulatorId: string,
  reportId: string,
  opts: { publicBaseUrl: string; deadlineWorkingDays?: number; now?: Date },
): Promise<{ hazardIds: string[]; deliveryIds: string[] }> {
  const report = await prisma.testReport.findUnique({
    where: { id: reportId },
    include: { hazards: { select: { type: true } } },
  });
  if (!report) throw new NotFoundError('TEST_REPORT_NOT_FOUND', '检测报告不存在');
  const failed = (report.measurements as unknown as Measurement[]).filter((m) => !m.pass);
  const byType = new Map<HazardType, Measurement[]>();
  for (const m of failed) byType.set(HAZARD_OF_ITEM[m.item], [...(byType.get(HAZARD_OF_ITEM[m.item]) ?? []), m]);
  const already = new Set(report.hazards.map((h) => h.type));
  const out = { hazardIds: [] as string[], deliveryIds: [] as string[] };
  for (const [type, items] of byType) {
    if (already.has(type)) continue;
    const what = items
      .slice(0, 3)
      .map((m) => `${m.location}${m.item} ${m.value} ${m.unit}${m.limit !== undefined ? `（限值 ${m.limit}）` : ''}`)
      .join('；');
    const res = await fileHazard(
      prisma,
      regulatorId,
      {
        unitId: report.unitId,
        type,
        grade: 'GENERAL',
        source: 'TEST',
        description:
          `检测报告 ${report.reportNo} 不合格：${what}${items.length > 3 ? ` 等 ${items.length} 处` : ''}`.slice(
            0,
            300,
          ),
        deadlineWorkingDays: opts.deadlineWorkingDays ?? 10,
        testReportId: report.id,
      },
      { publicBaseUrl: opts.publicBaseUrl, now: opts.now, via: 'test-report' },
    );
    out.hazardIds.push(res.hazardId);
    out.deliveryIds.push(...res.deliveryIds);
  }
  return out;
}
