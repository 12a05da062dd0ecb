// The one place that turns a subject's open tasks into to-do rows (issue #21): derive what the
// subject owes now, compare it with its rows, and write the difference — a new task is a new row, a
// changed one (deadline moved, text, priority) or a reopened one (a rejected rectification) gets
// its fields and a new `rev`, and one no longer open ends as DONE or DELETED. Every change raises
// `rev` and marks the row pending; the todos.push job then makes DingTalk match. Deriving again
// without a change writes nothing, so any number of re-derivations is safe.
import type { Tx } from '../db';
import { insertTodoRows, type NewTodoRow } from './insert-rows';
import { NO_UNION_ID_MESSAGE, TODO_ERRORS } from './push-state';
import { DERIVATIONS, PARTS } from './subjects';
import type { DesiredTodo, RenderTodo, TodoRules, TodoSubject } from './types';

/** DingTalk's limits on a to-do's text (CreateTodoTaskRequest: subject ≤ 1024, description ≤ 4096). */
export const SUBJECT_MAX = 1024;
export const DESCRIPTION_MAX = 4096;

/**
 * Transaction options of one subject's derivation: a warning covers up to a province's key units
 * (127,403), whose to-dos take longer than Prisma's default 5 s; a derivation cut off by it would
 * fail again on every later pass.
 */
export const SYNC_TX = { timeout: 300_000, maxWait: 10_000 } as const;

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
  opts: { render: RenderTodo; now: Date; rules: TodoRules },
): Promise<string[]> {
  const derive = DERIVATIONS[subject.type];
  if (!derive) return [];
  await tx.$executeRawUnsafe(
    `SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${lockKey(`${subject.type}:${subject.id}`)})`,
  );
  // A part (one unit of a warning): its tasks alone, derived and compared (./subjects.ts PARTS).
  const partKey = subject.part === undefined ? undefined : PARTS[subject.type]?.(subject.id, subject.part);
  const derivation = await derive(tx, subject.id, { ...opts.rules, now: opts.now }, partKey && subject.part);
  const rows = await tx.todoItem.findMany({
    where: { subjectType: subject.type, subjectId: subject.id, ...(partKey ? { taskKey: partKey } : {}) },
  });
  const people = [...new Set(derivation.open.map((d) => d.personId))];
  const persons = new Map(
    (
      await tx.person.findMany({
        where: { id: { in: [...new Set([...people, ...rows.map((r) => r.personId)])] } },
        select: { id: true, active: true, dingUnionId: true },
      })
    ).map((p) => [p.id, p]),
  );
  const active = (personId: string) => persons.get(personId)?.active === true;
  const desired = new Map<string, DesiredTodo>();
  for (const d of derivation.open) {
    const k = rowKey(d.taskKey, d.personId);
    if (active(d.personId) && !desired.has(k)) desired.set(k, d);
  }
  const byKey = new Map(rows.map((r) => [rowKey(r.taskKey, r.personId), r]));
  const changed: string[] = [];
  // Someone without a unionId has no DingTalk to-do, and none was ever sent for the row: the row is
  // settled at once with the reason (no push job; the sweep pushes it once they have a unionId).
  const unreachable = (personId: string, row?: { dingTaskId: string | null; createSent: boolean }) =>
    !persons.get(personId)?.dingUnionId && !row?.dingTaskId && !row?.createSent;
  const noUnion = { errorCode: TODO_ERRORS.NO_UNION_ID, errorMessage: NO_UNION_ID_MESSAGE };

  const creates: NewTodoRow[] = [];
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
      const base = {
        ...fields,
        taskKey: d.taskKey,
        personId: d.personId,
        subjectType: subject.type,
        subjectId: subject.id,
      };
      creates.push(unreachable(d.personId) ? { ...base, settled: noUnion } : base);
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
    const settled = unreachable(row.personId, row);
    await tx.todoItem.update({
      where: { id: row.id },
      data: {
        ...fields,
        state: 'OPEN',
        endedAt: null,
        rev: row.rev + 1,
        ...(settled ? { pending: false, syncedRev: row.rev + 1, ...noUnion } : { pending: true }),
      },
    });
    if (!settled) changed.push(row.id);
  }
  if (creates.length > 0) {
    const made = await insertTodoRows(tx, creates);
    changed.push(...made.filter((m) => m.pending).map((m) => m.id));
  }

  const openTasks = new Set([...desired.values()].map((d) => d.taskKey));
  // Rows that end, grouped by how (a cancelled warning ends thousands at once: one UPDATE a group).
  const ends = new Map<string, { end: string; settled: boolean; ids: string[] }>();
  for (const row of rows) {
    if (row.state !== 'OPEN' || desired.has(rowKey(row.taskKey, row.personId))) continue;
    // A person no longer active (left, deactivated) had nothing done: their to-do goes.
    const gone = persons.has(row.personId) && !active(row.personId);
    const end = gone ? 'DELETED' : (derivation.ended?.(row) ?? (openTasks.has(row.taskKey) ? 'DELETED' : 'DONE'));
    const settled = unreachable(row.personId, row);
    const g = ends.get(`${end}|${settled}`) ?? { end, settled, ids: [] };
    g.ids.push(row.id);
    ends.set(`${end}|${settled}`, g);
    if (!settled) changed.push(row.id);
  }
  for (const { end, settled, ids } of ends.values())
    await tx.$executeRaw`
      UPDATE "TodoItem"
         SET state = ${end}::"TodoState", "endedAt" = ${opts.now}, rev = rev + 1, "updatedAt" = now(),
             pending = ${!settled},
             "syncedRev" = CASE WHEN ${settled} THEN rev + 1 ELSE "syncedRev" END,
             "errorCode" = CASE WHEN ${settled} THEN NULL ELSE "errorCode" END,
             "errorMessage" = CASE WHEN ${settled} THEN NULL ELSE "errorMessage" END
       WHERE id = ANY(${ids}::text[])`;
  return changed;
}
