// How often one unit may be inspected (国办发〔2024〕54号《关于严格规范涉企行政检查的意见》: caps on
// the inspections of one enterprise a year). Every inspection a regulator's bureau plans, draws or
// starts at a unit counts for its calendar year (Asia/Shanghai); the cap per unit category is
// INSPECTION_CAP_PER_YEAR. One beyond the cap needs a written reason: it is recorded on the
// inspection (overCap, overCapReason), audited, and listed in the leaders' digest.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import type { InspectionMode, UnitCategory } from '../db/generated/enums';
import { RuleError } from '../errors';
import { currentChecklist } from './checklists';

/** Caps per unit category; "*" for the categories not listed. */
export type InspectionCaps = Record<string, number> & { '*': number };

/** The reason for an inspection beyond the cap. */
export const overCapReasonSchema = z
  .string({ message: '请填写超出年度检查上限的理由' })
  .trim()
  .min(4, '超出年度检查上限的理由至少 4 个字')
  .max(200, '理由不超过 200 字');

/** The cap of a category. */
export function capFor(caps: InspectionCaps, category: UnitCategory): number {
  return caps[category] ?? caps['*'];
}

/** First instant of the Shanghai calendar year of `at`, and of the next one. */
export function shanghaiYear(at: Date): { from: Date; to: Date; year: number } {
  const year = Number(new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  return {
    year,
    from: new Date(`${year}-01-01T00:00:00+08:00`),
    to: new Date(`${year + 1}-01-01T00:00:00+08:00`),
  };
}

/** The inspections that count against a cap in the Shanghai year of `at`: a bureau's, not cancelled. */
function countedIn(at: Date) {
  const { from, to } = shanghaiYear(at);
  return { orgId: { not: null }, status: { not: 'CANCELLED' as const }, startedAt: { gte: from, lt: to } };
}

/** Regulator inspections of a unit in the year of `at` (planned, drawn or done; not cancelled). */
export async function inspectionsInYear(tx: Tx, unitId: string, at: Date): Promise<number> {
  return tx.inspection.count({ where: { unitId, ...countedIn(at) } });
}

/** The same count for many units at once (a draw's pool). */
export async function inspectionCounts(tx: Tx, unitIds: string[], at: Date): Promise<Map<string, number>> {
  if (unitIds.length === 0) return new Map();
  const rows = await tx.inspection.groupBy({
    by: ['unitId'],
    where: { unitId: { in: unitIds }, ...countedIn(at) },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.unitId!, r._count._all]));
}

/** Where a unit stands against its cap before one more inspection. */
export interface CapStanding {
  count: number;
  cap: number;
  /** One more inspection would be beyond the cap. */
  over: boolean;
}

/** The unit's standing against its yearly cap. */
export async function capStanding(
  tx: Tx,
  unit: { id: string; category: UnitCategory },
  caps: InspectionCaps,
  at: Date,
): Promise<CapStanding> {
  const count = await inspectionsInYear(tx, unit.id, at);
  const cap = capFor(caps, unit.category);
  return { count, cap, over: count + 1 > cap };
}

/**
 * The reason to record for one more inspection of the unit: undefined within the cap; the
 * validated reason beyond it; a refusal (INSPECTION_OVER_CAP, naming the field `reason`) when
 * beyond it without one.
 */
export function reasonBeyondCap(
  unitName: string,
  standing: CapStanding,
  reason: string | undefined,
): string | undefined {
  if (!standing.over) return undefined;
  const parsed = overCapReasonSchema.safeParse(reason);
  if (parsed.success) return parsed.data;
  const what = reason?.trim() ? parsed.error.issues[0]!.message : '超出上限检查须填写理由，理由将报送分管领导';
  throw new RuleError(
    'INSPECTION_OVER_CAP',
    `「${unitName}」今年已接受检查 ${standing.count} 次，已达年度上限 ${standing.cap} 次（国办发〔2024〕54号）。${what}。`,
    'reason',
    { count: standing.count, cap: standing.cap },
  );
}

/**
 * Opens a bureau's inspection of a unit, counted against the unit's cap: beyond it only with a
 * reason (recorded and audited). `action` names the audit event ('inspection.planned' or
 * 'inspection.started'); `extraItems` are the combined checklist's items when the visit begins now.
 */
export async function openBureauInspection(
  tx: Tx,
  o: {
    personId: string;
    orgId: string;
    unit: { id: string; name: string; category: UnitCategory };
    mode: InspectionMode;
    caps: InspectionCaps;
    reason: string | undefined;
    now: Date;
    action: 'inspection.planned' | 'inspection.started';
    extraItems?: object[];
  },
): Promise<{ id: string; overCap: boolean }> {
  const standing = await capStanding(tx, o.unit, o.caps, o.now);
  const reason = reasonBeyondCap(o.unit.name, standing, o.reason);
  const overCap = reason !== undefined;
  const checklist = await currentChecklist(tx, o.unit.category);
  const row = await tx.inspection.create({
    data: {
      mode: o.mode,
      unitId: o.unit.id,
      checklistId: checklist.id,
      inspectorIds: [o.personId],
      orgId: o.orgId,
      overCap,
      overCapReason: reason ?? null,
      extraItems: o.extraItems ?? [],
    },
  });
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: o.personId,
    action: o.action,
    subjectType: 'inspection',
    subjectId: row.id,
    data: {
      unitId: o.unit.id,
      mode: o.mode,
      orgId: o.orgId,
      checklist: checklist.key,
      version: checklist.version,
      yearCount: standing.count + 1,
      cap: standing.cap,
      overCap,
      overCapReason: reason ?? null,
    },
  });
  return { id: row.id, overCap };
}
