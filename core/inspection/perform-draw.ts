// Runs a 双随机 draw for a regulator's organisation: the pool is every active unit of the org's
// jurisdiction that the differentiated rule does not leave to code inspections; inspectors are the
// org's active regulators. The draw (seed, sorted inputs, picks), one RANDOM inspection per pick and
// the audit event are written in one transaction.
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import { regionMatches, regionPrefix } from '../domain/region';
import { ValidationError } from '../errors';
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
}

/** Performs and records a draw; returns its id, seed and picks. */
export async function performDraw(
  prisma: PrismaClient,
  req: DrawRequest,
  rule: DifferentiationRule,
): Promise<{ drawId: string; seed: string; picks: DrawPick[]; inspectionIds: string[] }> {
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
    const pool = units.filter(
      (u) => !codeInspectionEligible({ ...u, seriousOpenHazards: serious.get(u.id) ?? 0 }, rule),
    );
    const inspectors = (
      await tx.person.findMany({ where: { orgId: org.id, active: true }, select: { id: true, roles: true } })
    ).filter((p) => p.roles.includes('REGULATOR'));
    if (pool.length === 0) throw new ValidationError('辖区内没有需要现场抽查的单位');
    if (inspectors.length < req.inspectorsPerUnit) {
      throw new ValidationError(`本机构在岗执法人员不足 ${req.inspectorsPerUnit} 人，无法抽取检查人员`);
    }
    const params = {
      unitIds: pool.map((u) => u.id).sort(),
      inspectorIds: inspectors.map((p) => p.id).sort(),
      unitCount: req.unitCount,
      inspectorsPerUnit: req.inspectorsPerUnit,
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
    for (const pick of picks) {
      const checklist = await currentChecklist(tx, categoryOf.get(pick.unitId)!);
      const insp = await tx.inspection.create({
        data: {
          mode: 'RANDOM',
          unitId: pick.unitId,
          checklistId: checklist.id,
          inspectorIds: pick.inspectorIds,
          drawId: draw.id,
        },
      });
      inspectionIds.push(insp.id);
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
      },
    });
    return { drawId: draw.id, seed, picks, inspectionIds };
  });
}
