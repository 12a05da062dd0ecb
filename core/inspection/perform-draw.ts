// Runs a 双随机 draw for a regulator's organisation: the pool is every active unit of the org's
// jurisdiction that the differentiated rule does not leave to code inspections; inspectors are the
// org's active regulators. The draw (seed, sorted inputs, picks), one RANDOM inspection per pick and
// the audit event are written in one transaction.
//
// Units that have reached their yearly inspection cap (inspection-cap.ts, 国办发〔2024〕54号) stay
// out of the pool, so a draw never picks them by chance; a regulator who must include them says so
// and gives a reason, which each such pick's inspection records (and the leaders' digest shows).
// Each pick warns another bureau that inspects the same unit within the window (repeat-warning.ts).
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import { regionMatches, regionPrefix } from '../domain/region';
import { RuleError, ValidationError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { capFor, inspectionCounts, overCapReasonSchema } from './inspection-cap';
import { repeatWarnings } from './repeat-warning';
import type { InspectionRules } from './scan-in';
import { currentChecklist } from './checklists';
import { drawFromSeed, newSeed, type DrawPick } from './random-draw';
import { codeInspectionEligible, type DifferentiationRule } from './supervision-rule';

const SERIOUS_OPEN = {
  OR: [
    { grade: 'MAJOR' as const, status: { in: ['PENDING' as const, 'FIXING' as const, 'SUBMITTED' as const] } },
    { status: { in: ['OVERDUE' as const, 'ESCALATED' as const] } },
  ],
};

/** Count of serious open hazards per unit id (major, overdue or escalated). */
export async function seriousOpenHazards(db: PrismaClient | Tx, unitIds: string[]): Promise<Map<string, number>> {
  if (unitIds.length === 0) return new Map();
  const rows = await db.hazard.groupBy({
    by: ['unitId'],
    where: { unitId: { in: unitIds }, ...SERIOUS_OPEN },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.unitId, r._count._all]));
}

/** Inputs of a draw request. */
export interface DrawRequest {
  personId: string;
  orgId: string;
  unitCount: number;
  inspectorsPerUnit: number;
  /** Given only to replay a published seed; otherwise a fresh one is drawn. */
  seed?: string;
  /** Put units at their yearly cap into the pool too; needs `overCapReason`. */
  includeOverCap?: boolean;
  overCapReason?: string;
}

/** What a draw did. */
export interface DrawResult {
  drawId: string;
  seed: string;
  picks: Array<DrawPick & { overCap: boolean }>;
  inspectionIds: string[];
  /** Units left out of the pool because they reached their yearly cap. */
  excludedOverCap: number;
  deliveryIds: string[];
}

/** Performs and records a draw; returns its id, seed and picks. */
export async function performDraw(
  prisma: PrismaClient,
  req: DrawRequest,
  rule: DifferentiationRule,
  limits: InspectionRules & { publicBaseUrl: string; now?: Date },
): Promise<DrawResult> {
  let reason: string | undefined;
  if (req.includeOverCap) {
    const parsed = overCapReasonSchema.safeParse(req.overCapReason);
    if (!parsed.success) {
      throw new RuleError(
        'INSPECTION_OVER_CAP',
        `包括已达年度检查上限的单位须填写理由（国办发〔2024〕54号）：${parsed.error.issues[0]!.message}`,
        'overCapReason',
      );
    }
    reason = parsed.data;
  }
  const now = limits.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const org = await tx.regulatorOrg.findUniqueOrThrow({
      where: { id: req.orgId },
      select: { id: true, regionCode: true },
    });
    const units = (
      await tx.unit.findMany({
        where: { active: true, regionCode: { startsWith: regionPrefix(org.regionCode) } },
        select: { id: true, regionCode: true, category: true, creditLevel: true, riskColor: true },
      })
    ).filter((u) => regionMatches(org.regionCode, u.regionCode));
    const serious = await seriousOpenHazards(
      tx,
      units.map((u) => u.id),
    );
    const eligible = units.filter(
      (u) => !codeInspectionEligible({ ...u, seriousOpenHazards: serious.get(u.id) ?? 0 }, rule),
    );
    const counts = await inspectionCounts(
      tx,
      eligible.map((u) => u.id),
      now,
    );
    const atCap = new Set(
      eligible.filter((u) => (counts.get(u.id) ?? 0) + 1 > capFor(limits.caps, u.category)).map((u) => u.id),
    );
    const pool = req.includeOverCap ? eligible : eligible.filter((u) => !atCap.has(u.id));
    const inspectors = (
      await tx.person.findMany({ where: { orgId: org.id, active: true }, select: { id: true, roles: true } })
    ).filter((p) => p.roles.includes('REGULATOR'));
    if (pool.length === 0) {
      throw new ValidationError(
        atCap.size > 0
          ? `辖区内可抽查的 ${atCap.size} 家单位均已达年度检查上限；确需检查的，请勾选包括已达上限的单位并填写理由`
          : '辖区内没有需要现场抽查的单位',
      );
    }
    if (inspectors.length < req.inspectorsPerUnit) {
      throw new ValidationError(`本机构在岗执法人员不足 ${req.inspectorsPerUnit} 人，无法抽取检查人员`);
    }
    const params = {
      unitIds: pool.map((u) => u.id).sort(),
      inspectorIds: inspectors.map((p) => p.id).sort(),
      unitCount: req.unitCount,
      inspectorsPerUnit: req.inspectorsPerUnit,
      // For the record (replayDraw reads the four fields above).
      overCapExcluded: req.includeOverCap ? [] : [...atCap].sort(),
      overCapReason: reason ?? null,
    };
    const seed = req.seed ?? newSeed();
    const picks = drawFromSeed(seed, params);
    const draw = await tx.inspectionDraw.create({
      data: {
        seed,
        regionCode: org.regionCode,
        orgId: org.id,
        drawnById: req.personId,
        params,
        picks: picks as object[],
      },
    });
    const categoryOf = new Map(pool.map((u) => [u.id, u.category]));
    const inspectionIds: string[] = [];
    const warnings = [];
    for (const pick of picks) {
      const checklist = await currentChecklist(tx, categoryOf.get(pick.unitId)!);
      const overCap = atCap.has(pick.unitId);
      const insp = await tx.inspection.create({
        data: {
          mode: 'RANDOM',
          unitId: pick.unitId,
          checklistId: checklist.id,
          inspectorIds: pick.inspectorIds,
          drawId: draw.id,
          orgId: org.id,
          overCap,
          overCapReason: overCap ? reason : null,
        },
      });
      inspectionIds.push(insp.id);
      warnings.push(
        ...(await repeatWarnings(tx, insp.id, {
          windowDays: limits.repeatWarnDays,
          publicBaseUrl: limits.publicBaseUrl,
        })),
      );
    }
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: req.personId,
      action: 'inspection.drawn',
      subjectType: 'inspection-draw',
      subjectId: draw.id,
      data: {
        seed,
        regionCode: org.regionCode,
        pool: params.unitIds.length,
        inspectors: params.inspectorIds.length,
        picks,
        inspectionIds,
        overCap: picks.filter((p) => atCap.has(p.unitId)).map((p) => p.unitId),
        overCapExcluded: params.overCapExcluded.length,
        overCapReason: reason ?? null,
      },
    });
    const deliveryIds = await addDeliveries(tx, warnings);
    return {
      drawId: draw.id,
      seed,
      picks: picks.map((p) => ({ ...p, overCap: atCap.has(p.unitId) })),
      inspectionIds,
      excludedOverCap: params.overCapExcluded.length,
      deliveryIds,
    };
  });
}
