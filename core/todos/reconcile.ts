// The one place that turns a subject's open tasks into to-do rows (issue #21): derive what the
// subject owes now, compare it with its rows, and write the difference — a new task is a new row, a
// changed one (deadline moved, text, priority) or a reopened one (a rejected rectification) gets
// its fields and a new `rev`, and one no longer open ends as DONE or DELETED. Every change raises
// `rev` and marks the row pending; the todos.push job then makes DingTalk match. Deriving again
// without a change writes nothing, so any number of re-derivations is safe.
import type { Tx } from '../db';
import { DERIVATIONS } from './subjects';
import type { DesiredTodo, RenderTodo, TodoSubject } from './types';

/** DingTalk's limits on a to-do's text (CreateTodoTaskRequest: subject ≤ 1024, description ≤ 4096). */
export const SUBJECT_MAX = 1024;
export const DESCRIPTION_MAX = 4096;

/** Advisory-lock namespace of subject derivations (the audit chain uses a single 64-bit key). */
const LOCK_NAMESPACE = 7461743;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** 32-bit FNV-1a of a string, as a signed integer (the second key of pg_advisory_xact_lock). */
function lockKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

const rowKey = (taskKey: string, personId: string) => `${taskKey}\u0000${personId}`;

/**
 * Derives `subject` again and writes what changed, in the caller's transaction (serialised per
 * subject). Returns the ids of the rows that changed.
 */
export async function syncSubject(
  tx: Tx,
  subject: TodoSubject,
  opts: { render: RenderTodo; now: Date },
): Promise<string[]> {
  const derive = DERIVATIONS[subject.type];
  if (!derive) return [];
  await tx.$executeRawUnsafe(
    `SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${lockKey(`${subject.type}:${subject.id}`)})`,
  );
  const derivation = await derive(tx, subject.id, opts.now);
  const people = [...new Set(derivation.open.map((d) => d.personId))];
  const active = new Set(
    (await tx.person.findMany({ where: { id: { in: people }, active: true }, select: { id: true } })).map((p) => p.id),
  );
  const desired = new Map<string, DesiredTodo>();
  for (const d of derivation.open) {
    const k = rowKey(d.taskKey, d.personId);
    if (active.has(d.personId) && !desired.has(k)) desired.set(k, d);
  }
  const rows = await tx.todoItem.findMany({ where: { subjectType: subject.type, subjectId: subject.id } });
  const byKey = new Map(rows.map((r) => [rowKey(r.taskKey, r.personId), r]));
  const changed: string[] = [];

  for (const [k, d] of desired) {
    const text = opts.render(d.facts);
    const fields = {
      kind: d.facts.kind,
      subject: clip(text.subject, SUBJECT_MAX),
      description: clip(text.description, DESCRIPTION_MAX),
      dueAt: d.dueAt,
      priority: d.priority,
      path: d.path,
    };
    const row = byKey.get(k);
    if (!row) {
      const created = await tx.todoItem.create({
        data: { ...fields, taskKey: d.taskKey, personId: d.personId, subjectType: subject.type, subjectId: subject.id },
        select: { id: true },
      });
      changed.push(created.id);
      continue;
    }
    const same =
      row.state === 'OPEN' &&
      row.kind === fields.kind &&
      row.subject === fields.subject &&
      row.description === fields.description &&
      (row.dueAt?.getTime() ?? null) === (fields.dueAt?.getTime() ?? null) &&
      row.priority === fields.priority &&
      row.path === fields.path;
    if (same) continue;
    await tx.todoItem.update({
      where: { id: row.id },
      data: { ...fields, state: 'OPEN', endedAt: null, rev: { increment: 1 }, pending: true },
    });
    changed.push(row.id);
  }

  const openTasks = new Set([...desired.values()].map((d) => d.taskKey));
  for (const row of rows) {
    if (row.state !== 'OPEN' || desired.has(rowKey(row.taskKey, row.personId))) continue;
    // A person no longer active (left, deactivated) had nothing done: their to-do goes.
    const gone = people.includes(row.personId) && !active.has(row.personId);
    const end = gone ? 'DELETED' : (derivation.ended?.(row) ?? (openTasks.has(row.taskKey) ? 'DELETED' : 'DONE'));
    await tx.todoItem.update({
      where: { id: row.id },
      data: { state: end, endedAt: opts.now, rev: { increment: 1 }, pending: true },
    });
    changed.push(row.id);
  }
  return changed;
}
