// A lightning warning's tasks (预警叫应): while it is in force, the managers of each covered unit
// that has not answered confirm that the precautions are in place (warning.ack, due when it
// expires; the more severe the level, the higher the priority). The unit's first answer settles
// it for all of them; a warning cancelled or expired takes the to-dos away.
import type { Tx } from '../../db';
import { label } from '../../domain/labels';
import type { Derivation, DesiredTodo, TodoPriority } from '../types';

const PRIORITY: Record<string, TodoPriority> = { RED: 40, ORANGE: 30, YELLOW: 20 };

/** The task of unit `unitId` under warning `id` (one to-do per manager). */
export const warningTaskKey = (id: string, unitId: string) => `warning.ack:${id}:${unitId}`;

/** Derives the open tasks of warning `id` (of its unit `unitId` alone, when given). */
export async function deriveWarning(tx: Tx, id: string, now: Date, unitId?: string): Promise<Derivation> {
  const w = await tx.lightningWarning.findUnique({ where: { id } });
  if (!w || w.status !== 'ACTIVE' || w.expiresAt <= now) return { open: [], ended: () => 'DELETED' };
  const silent = await tx.warningUnit.findMany({
    where: { warningId: id, answeredAt: null, unreachable: null, ...(unitId ? { unitId } : {}) },
    select: { unitId: true, unit: { select: { name: true } } },
  });
  // Roles are filtered in code (the PGlite adapter sends enum arrays as strings).
  const people = await tx.person.findMany({
    where: { unitId: { in: silent.map((u) => u.unitId) }, active: true },
    select: { id: true, unitId: true, roles: true },
  });
  const acked = new Set(
    (
      await tx.warningAck.findMany({
        where: { warningId: id, ...(unitId ? { unitId } : {}) },
        select: { unitId: true },
      })
    ).map((a) => a.unitId),
  );
  // Managers by unit (a warning covers thousands of units: no scan of every person per unit).
  const managers = new Map<string, typeof people>();
  for (const p of people) {
    if (!p.unitId || !p.roles.includes('UNIT_MANAGER')) continue;
    managers.set(p.unitId, [...(managers.get(p.unitId) ?? []), p]);
  }
  const open: DesiredTodo[] = [];
  for (const u of silent) {
    if (acked.has(u.unitId)) continue;
    for (const p of managers.get(u.unitId) ?? []) {
      open.push({
        taskKey: warningTaskKey(id, u.unitId),
        personId: p.id,
        facts: {
          kind: 'warning.ack',
          unit: u.unit.name,
          issuer: w.issuer,
          levelLabel: label('WarningLevel', w.level),
          text: w.text,
          expiresAt: w.expiresAt,
        },
        dueAt: w.expiresAt,
        priority: PRIORITY[w.level] ?? 20,
        // The one-tap 「收到」 page (issue #20); answering there settles the to-do.
        path: `/m/warnings/${encodeURIComponent(id)}?from=MINIAPP`,
      });
    }
  }
  return { open };
}

/**
 * Of warnings `ids`, those whose first line is still being written: in force, their fan-out armed
 * and not finished (core/warning/fan-out-chunks.ts). The fan-out's last transaction appends
 * `warning.first-line`, which commits after this read and so comes after every event read so far
 * (events commit in id order): derived then, the warning's to-dos are written once, for every
 * unit. Derived now, they would be derived from the units written so far and again at that event.
 * A warning lifted meanwhile is derived at once (its fan-out stops without that event).
 */
export async function firstLineBeingWritten(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.warningFanOut.findMany({
    where: { warningId: { in: ids }, finishedAt: null, warning: { status: 'ACTIVE' } },
    select: { warningId: true },
  });
  return new Set(rows.map((r) => r.warningId));
}
