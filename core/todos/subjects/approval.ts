// An application's tasks: each approver of the active step who has not decided owes it
// (approval.step, due at the step's time limit; a signer added by 加签 likewise, a deputy on behalf
// of whoever delegated); each nudge (催办) on the step raises its priority one level; a leader the
// step's time-out escalated to owes a 督办 until the step is settled (approval.escalated).
import type { Tx } from '../../db';
import { approvalDataSchema } from '../../approval/data';
import type { Derivation, DesiredTodo, TodoPriority } from '../types';

/** Actions by which an approver has done their part of a step. */
const DONE_KINDS = new Set(['APPROVE', 'REJECT', 'RETURN']);

/** Derives the open tasks of application `id`. */
export async function deriveApproval(tx: Tx, id: string): Promise<Derivation> {
  const inst = await tx.approvalInstance.findUnique({
    where: { id },
    include: {
      definition: { select: { name: true } },
      createdBy: { select: { name: true } },
      steps: { include: { decisions: { select: { personId: true, decision: true } } } },
      nudges: { select: { stepId: true } },
    },
  });
  if (!inst) return { open: [], ended: () => 'DELETED' };
  const stepOf = new Map(inst.steps.map((s) => [s.id, s]));
  const ended: Derivation['ended'] = ({ taskKey, personId }) => {
    if (inst.status === 'CANCELLED') return 'DELETED';
    const step = stepOf.get(taskKey.slice(taskKey.indexOf(':') + 1));
    if (!step) return 'DELETED';
    if (step.kind !== 'DEFINED' && step.status === 'SKIPPED') return 'DELETED'; // 减签
    const mine = step.decisions.filter((d) => d.personId === personId);
    if (mine.some((d) => DONE_KINDS.has(d.decision))) return 'DONE';
    if (mine.some((d) => d.decision === 'TRANSFER')) return 'DELETED';
    return 'DONE';
  };
  if (inst.status !== 'IN_PROGRESS') return { open: [], ended };

  const open: DesiredTodo[] = [];
  const data = approvalDataSchema.safeParse(inst.data ?? {});
  const path = `/m/approvals/${inst.id}`;
  const active = inst.steps.filter((s) => s.round === inst.round && s.status === 'ACTIVE');
  const names = await namesOf(tx, [
    ...active.flatMap((s) => s.assigneePersonIds),
    ...active.flatMap((s) => delegationsOf(s.delegations).map((d) => d.fromPersonId)),
  ]);
  for (const step of active) {
    const decided = new Set(
      step.decisions.filter((d) => d.personId && DONE_KINDS.has(d.decision)).map((d) => d.personId!),
    );
    const nudges = inst.nudges.filter((n) => n.stepId === step.id).length;
    const priority = Math.min(40, 20 + 10 * nudges) as TodoPriority;
    const common = { title: inst.title || inst.definition.name, definitionName: inst.definition.name };
    for (const personId of step.assigneePersonIds.filter((p) => !decided.has(p))) {
      const from = delegationsOf(step.delegations).find((d) => d.toPersonId === personId)?.fromPersonId;
      open.push({
        taskKey: `approval.step:${step.id}`,
        personId,
        facts: {
          kind: 'approval.step',
          ...common,
          stepName: step.name,
          applicant: inst.createdBy?.name ?? '',
          signer: step.kind !== 'DEFINED',
          onBehalfOf: from ? names.get(from) : undefined,
          fields: data.success ? data.data.fields : [],
        },
        dueAt: step.dueAt,
        priority,
        path,
      });
    }
    for (const personId of step.escalatedToIds) {
      open.push({
        taskKey: `approval.escalated:${step.id}`,
        personId,
        facts: {
          kind: 'approval.escalated',
          ...common,
          stepName: step.name,
          approvers: step.assigneePersonIds.map((p) => names.get(p) ?? '').filter(Boolean),
          dueAt: step.dueAt,
        },
        dueAt: step.dueAt,
        priority: 40,
        path,
      });
    }
  }
  return { open, ended };
}

function delegationsOf(v: unknown): Array<{ fromPersonId: string; toPersonId: string }> {
  return Array.isArray(v) ? (v as Array<{ fromPersonId: string; toPersonId: string }>) : [];
}

async function namesOf(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  const rows = await tx.person.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}
