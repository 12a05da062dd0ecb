// 安全风险码 (红/黄/绿) of a key unit. No public document defines the scheme (UNCONFIRMED): this
// rule is the design assumption, documented in the README, and easy to change in one place.
//
//   score = category weight (易燃易爆 40, 人员密集 25, 电子信息 20, other 10)
//         + 20 per open 重大隐患 + 5 per open 一般隐患
//         + 10 per overdue or escalated hazard (on top of the above)
//         + 20 when the periodic test is overdue (Unit.nextDueDate passed)
//         + 10 when an inspection in the last 12 months failed
//         + 10 when the agency of the latest test report is credit-rated C or D
//   RED ≥ 60, YELLOW 30–59, GREEN < 30; an overdue or escalated 重大隐患 is RED whatever the score.
//
// Recomputed in the caller's transaction on every hazard transition (and by inspections and
// credit changes, issues #7/#8). A change to RED tells the responsible regulators.
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import type { RiskColor, UnitCategory } from '../db/generated/client';
import { label } from '../domain/labels';
import { addDeliveries } from '../outbox/add-deliveries';

const CATEGORY_WEIGHT: Record<UnitCategory, number> = {
  FLAMMABLE: 40,
  CROWDED: 25,
  ELECTRONIC: 20,
  CULTURAL: 10,
  MINE_SCENIC: 10,
  TALL: 10,
  OTHER: 10,
};

/** Thresholds of the colours (score ≥ RED → red; ≥ YELLOW → yellow). */
export const RISK_THRESHOLDS = { RED: 60, YELLOW: 30 } as const;

/** Facts the rule reads. */
export interface RiskFacts {
  category: UnitCategory;
  openMajor: number;
  openGeneral: number;
  overdue: number;
  overdueMajor: number;
  testOverdue: boolean;
  recentFailedInspection: boolean;
  agencyCreditLow: boolean;
}

/** The rule itself (pure, unit-tested). */
export function riskOf(f: RiskFacts): { score: number; color: RiskColor } {
  const score =
    CATEGORY_WEIGHT[f.category] +
    20 * f.openMajor +
    5 * f.openGeneral +
    10 * f.overdue +
    (f.testOverdue ? 20 : 0) +
    (f.recentFailedInspection ? 10 : 0) +
    (f.agencyCreditLow ? 10 : 0);
  const color: RiskColor =
    f.overdueMajor > 0 || score >= RISK_THRESHOLDS.RED ? 'RED' : score >= RISK_THRESHOLDS.YELLOW ? 'YELLOW' : 'GREEN';
  return { score, color };
}

/** Options of a recomputation. */
export interface RecomputeOptions {
  now?: Date;
  /** Base URL of the mini-app (link in the notice to regulators). */
  publicBaseUrl: string;
  /** Who or what caused it (audit). */
  actorPersonId?: string | null;
}

const OPEN = ['PENDING', 'FIXING', 'SUBMITTED', 'OVERDUE', 'ESCALATED'] as const;

/** Reads the facts of a unit. */
export async function riskFacts(tx: Tx, unitId: string, now: Date): Promise<RiskFacts> {
  const unit = await tx.unit.findUniqueOrThrow({
    where: { id: unitId },
    select: { category: true, nextDueDate: true },
  });
  const hazards = await tx.hazard.findMany({
    where: { unitId, status: { in: [...OPEN] } },
    select: { grade: true, status: true },
  });
  const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
  const failed = await tx.inspection.count({ where: { unitId, result: 'FAIL', startedAt: { gte: yearAgo } } });
  const latest = await tx.testReport.findFirst({
    where: { unitId },
    orderBy: { issueDate: 'desc' },
    select: { agency: { select: { creditGrade: true } } },
  });
  const late = hazards.filter((h) => h.status === 'OVERDUE' || h.status === 'ESCALATED');
  return {
    category: unit.category,
    openMajor: hazards.filter((h) => h.grade === 'MAJOR').length,
    openGeneral: hazards.filter((h) => h.grade === 'GENERAL').length,
    overdue: late.length,
    overdueMajor: late.filter((h) => h.grade === 'MAJOR').length,
    testOverdue: Boolean(unit.nextDueDate && unit.nextDueDate < now),
    recentFailedInspection: failed > 0,
    agencyCreditLow: latest?.agency.creditGrade === 'C' || latest?.agency.creditGrade === 'D',
  };
}

/**
 * Recomputes and stores a unit's risk code in the caller's transaction. A change is audited; a
 * change to RED queues a notice to the responsible regulators (returned in deliveryIds).
 */
export async function recomputeRiskCode(
  tx: Tx,
  unitId: string,
  opts: RecomputeOptions,
): Promise<{ color: RiskColor; score: number; changed: boolean; deliveryIds: string[] }> {
  const now = opts.now ?? new Date();
  const unit = await tx.unit.findUniqueOrThrow({
    where: { id: unitId },
    select: { name: true, riskColor: true, riskScore: true, supervisingOrgId: true },
  });
  const facts = await riskFacts(tx, unitId, now);
  const { score, color } = riskOf(facts);
  const changed = color !== unit.riskColor;
  if (!changed && score === unit.riskScore) return { color, score, changed, deliveryIds: [] };
  await tx.unit.update({ where: { id: unitId }, data: { riskColor: color, riskScore: score } });
  if (!changed) return { color, score, changed, deliveryIds: [] };
  await appendAudit(tx, {
    actorKind: opts.actorPersonId ? 'PERSON' : 'SYSTEM',
    actorPersonId: opts.actorPersonId ?? null,
    action: 'unit.risk-changed',
    subjectType: 'unit',
    subjectId: unitId,
    data: { before: unit.riskColor, after: color, scoreBefore: unit.riskScore, score, facts },
  });
  if (color !== 'RED' || !unit.supervisingOrgId) return { color, score, changed, deliveryIds: [] };
  const regulators = (
    await tx.person.findMany({
      where: { orgId: unit.supervisingOrgId, active: true },
      select: { id: true, roles: true },
    })
  ).filter((p) => p.roles.includes('REGULATOR'));
  const base = opts.publicBaseUrl.replace(/\/$/, '');
  const deliveryIds = await addDeliveries(
    tx,
    regulators.map((r) => ({
      purpose: 'unit.risk-red',
      channel: 'ROBOT_OTO' as const,
      template: 'risk-red',
      data: {
        unit: { name: unit.name },
        from: label('RiskColor', unit.riskColor),
        to: label('RiskColor', 'RED'),
        score,
        facts: {
          overdueMajor: facts.overdueMajor,
          openMajor: facts.openMajor,
          openGeneral: facts.openGeneral,
          overdue: facts.overdue,
          testOverdue: facts.testOverdue,
        },
        links: { list: `${base}/m/` },
      },
      recipientPersonId: r.id,
      priority: 2,
      subjectType: 'unit',
      subjectId: unitId,
      idempotencyKey: `unit.risk-red:${unitId}:${r.id}:${now.getTime()}`,
    })),
  );
  return { color, score, changed, deliveryIds };
}
