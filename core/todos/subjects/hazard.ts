// A hazard's tasks (查、整、消): while it is open, each manager of the unit owes its rectification
// (hazard.fix, due at the deadline); once a rectification is submitted, the regulators it went to
// owe its verification (hazard.verify). Major hazards and red-coded units come first (紧急).
import type { Tx } from '../../db';
import { label } from '../../domain/labels';
import { OPEN_STATUSES } from '../../hazard/transition';
import { responsibleRegulators, unitPeople } from '../../hazard/people';
import type { Derivation, DesiredTodo, TodoPriority } from '../types';

/** Derives the open tasks of hazard `id`. */
export async function deriveHazard(tx: Tx, id: string): Promise<Derivation> {
  const h = await tx.hazard.findUnique({
    where: { id },
    include: {
      unit: { select: { name: true, riskColor: true } },
      rectifications: {
        orderBy: { submittedAt: 'desc' },
        take: 1,
        include: { submittedBy: { select: { name: true } } },
      },
    },
  });
  if (!h) return { open: [] };
  const priority: TodoPriority = h.grade === 'MAJOR' || h.unit.riskColor === 'RED' ? 30 : 20;
  const typeLabel = label('HazardType', h.type);
  const gradeLabel = label('HazardGrade', h.grade);
  const path = `/m/hazards/${h.id}`;
  const latest = h.rectifications[0];
  const open: DesiredTodo[] = [];
  if (OPEN_STATUSES.includes(h.status)) {
    const { managers } = await unitPeople(tx, h.unitId);
    for (const personId of managers) {
      open.push({
        taskKey: `hazard.fix:${h.id}`,
        personId,
        facts: {
          kind: 'hazard.fix',
          unit: h.unit.name,
          typeLabel,
          gradeLabel,
          description: h.description,
          deadline: h.deadline,
          overdue: h.status === 'OVERDUE' || h.status === 'ESCALATED',
          rejectedReason: latest?.decision === 'REJECTED' ? (latest.rejectReason ?? '') : undefined,
        },
        dueAt: h.deadline,
        priority,
        path: `${path}/rectify`,
      });
    }
  }
  if (h.status === 'SUBMITTED' && latest && !latest.decision) {
    for (const personId of await verifiers(tx, h, latest.id)) {
      open.push({
        taskKey: `hazard.verify:${latest.id}`,
        personId,
        facts: {
          kind: 'hazard.verify',
          unit: h.unit.name,
          typeLabel,
          gradeLabel,
          submittedBy: latest.submittedBy.name,
          submittedAt: latest.submittedAt,
          rectification: latest.description,
        },
        dueAt: null,
        priority,
        path,
      });
    }
  }
  return { open };
}

/**
 * Who was handed the verification: the recipients of its verify cards (delegations applied when it
 * was submitted), else the regulators responsible now.
 */
async function verifiers(tx: Tx, h: { filedById: string | null; unitId: string }, rectId: string): Promise<string[]> {
  const cards = await tx.delivery.findMany({
    where: { subjectType: 'rectification', subjectId: rectId, purpose: 'hazard.verify' },
    select: { recipientPersonId: true },
  });
  const ids = [...new Set(cards.map((c) => c.recipientPersonId).filter((p): p is string => Boolean(p)))];
  return ids.length > 0 ? ids : responsibleRegulators(tx, h);
}
