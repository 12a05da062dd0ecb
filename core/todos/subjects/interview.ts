// An interview's tasks (约谈): each summoned person of the unit confirms their attendance
// (interview.confirm, due when confirmations are due; a reschedule asks again); the unit's managers
// carry out each commitment made at it (interview.task, due at its date); the regulator who
// summoned answers a request to reschedule (interview.reschedule).
import type { Tx } from '../../db';
import { shanghaiDate } from '../../domain/working-days';
import { summonedPeople } from '../../interview/summons-data';
import { unitPeople } from '../../hazard/people';
import type { Derivation, DesiredTodo } from '../types';

/** Derives the open tasks of interview `id`. */
export async function deriveInterview(tx: Tx, id: string): Promise<Derivation> {
  const iv = await tx.interview.findUnique({
    where: { id },
    include: {
      unit: { select: { name: true } },
      acks: { select: { personId: true, version: true } },
      tasks: { where: { doneAt: null }, orderBy: { dueAt: 'asc' } },
    },
  });
  if (!iv || iv.status === 'CANCELLED') return { open: [], ended: () => 'DELETED' };
  const path = `/m/interviews/${iv.id}`;
  const open: DesiredTodo[] = [];
  if (iv.status === 'NOTIFIED' || iv.status === 'ACKNOWLEDGED') {
    const acked = new Set(iv.acks.filter((a) => a.version === iv.version).map((a) => a.personId));
    for (const p of await summonedPeople(tx, iv.unitId)) {
      if (acked.has(p.id)) continue;
      open.push({
        taskKey: `interview.confirm:${iv.id}`,
        personId: p.id,
        facts: {
          kind: 'interview.confirm',
          unit: iv.unit.name,
          scheduledAt: iv.scheduledAt,
          place: iv.place,
          reason: iv.reason,
        },
        dueAt: iv.ackDueAt ?? iv.scheduledAt,
        priority: 30,
        path,
      });
    }
  }
  if (iv.status === 'RESCHEDULE_REQUESTED') {
    open.push({
      taskKey: `interview.reschedule:${iv.id}`,
      personId: iv.createdById,
      facts: {
        kind: 'interview.reschedule',
        unit: iv.unit.name,
        reason: iv.rescheduleReason ?? '',
        requested: shanghaiDate(iv.scheduledAt),
      },
      dueAt: iv.scheduledAt,
      priority: 30,
      path,
    });
  }
  if (iv.status !== 'CLOSED' && iv.tasks.length > 0) {
    const { managers } = await unitPeople(tx, iv.unitId);
    for (const task of iv.tasks) {
      for (const personId of managers) {
        open.push({
          taskKey: `interview.task:${task.id}`,
          personId,
          facts: { kind: 'interview.task', unit: iv.unit.name, text: task.text, dueAt: task.dueAt },
          dueAt: task.dueAt,
          priority: 20,
          path,
        });
      }
    }
  }
  return { open };
}
