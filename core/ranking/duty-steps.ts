// The duty steps a ranking's publication takes (issue #6 part 4): a unit that crossed a line gets a
// 提醒 first, an interview proposal when it crosses one again; each step is a DutyAction row with
// its audit event, written in the publication's transaction.
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import type { DutyActionKind } from '../db/generated/enums';
import type { RankingRules } from './indicators';
import type { RankingRow as Row } from './rows';

/** A duty step taken for a unit in this period. */
export interface DutyStep {
  row: Row;
  kind: DutyActionKind;
  reason: string;
  triggers: string[];
  id: string;
}

/** Units with a 重大 hazard the hazard loop escalated (overdue past its threshold). */
async function majorOverdueUnits(tx: Tx): Promise<Set<string>> {
  const rows = await tx.hazard.findMany({
    where: { grade: 'MAJOR', status: 'ESCALATED' },
    select: { unitId: true },
    distinct: ['unitId'],
  });
  return new Set(rows.map((r) => r.unitId));
}

/**
 * First a 提醒; when the unit crosses a line again (a reminder from an earlier period exists and no
 * interview was closed since), an interview proposal; nothing new while an earlier proposal is
 * still undecided or its interview is still under way (the regulator already has it in hand).
 */
async function stepFor(tx: Tx, unitId: string, period: string): Promise<DutyActionKind | undefined> {
  const pending = await tx.dutyAction.findFirst({
    where: { unitId, kind: 'INTERVIEW_PROPOSAL', period: { not: period }, status: { in: ['OPEN', 'SCHEDULED'] } },
  });
  if (pending) return undefined;
  const reminder = await tx.dutyAction.findFirst({
    where: { unitId, kind: 'REMINDER', period: { not: period } },
    orderBy: { createdAt: 'desc' },
  });
  if (!reminder) return 'REMINDER';
  const closed = await tx.interview.findFirst({
    where: { unitId, status: 'CLOSED', closedAt: { gt: reminder.createdAt } },
  });
  return closed ? 'REMINDER' : 'INTERVIEW_PROPOSAL';
}

/** Takes the duty step of every unit that crossed a line this period (none twice: upsert per period and kind). */
export async function takeDutySteps(tx: Tx, rows: Row[], rules: RankingRules, period: string): Promise<DutyStep[]> {
  const major = await majorOverdueUnits(tx);
  const actions: DutyStep[] = [];
  for (const row of rows) {
    const triggers: string[] = [];
    const why: string[] = [];
    if (row.consecutiveBottom >= rules.bottomPeriods) {
      triggers.push('BOTTOM');
      why.push(`连续 ${row.consecutiveBottom} 期排名后 ${rules.bottomPercent}%`);
    }
    if (major.has(row.unitId)) {
      triggers.push('MAJOR_OVERDUE');
      why.push('有重大隐患逾期未整改');
    }
    if (triggers.length === 0) continue;
    const kind = await stepFor(tx, row.unitId, period);
    if (!kind) continue;
    const reason = `${why.join('，')}${kind === 'INTERVIEW_PROPOSAL' ? '，此前已提醒' : ''}`;
    const action = await tx.dutyAction.upsert({
      where: { unitId_period_kind: { unitId: row.unitId, period: period, kind } },
      create: {
        unitId: row.unitId,
        period: period,
        kind,
        triggers,
        reason,
        status: kind === 'REMINDER' ? 'DONE' : 'OPEN',
      },
      update: {},
    });
    await appendAudit(tx, {
      actorKind: 'SYSTEM',
      action: kind === 'REMINDER' ? 'duty.reminded' : 'duty.interview-proposed',
      subjectType: 'unit',
      subjectId: row.unitId,
      data: {
        period: period,
        dutyActionId: action.id,
        triggers,
        rank: row.rank,
        total: row.total,
        score: row.score,
      },
    });
    actions.push({ row, kind, reason, triggers, id: action.id });
  }
  return actions;
}
