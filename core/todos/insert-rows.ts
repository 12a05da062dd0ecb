// New to-do rows in one statement (INSERT … SELECT FROM unnest of column arrays). A warning for
// 10,000 key units derives 10,000 new rows at once: Prisma's createManyAndReturn spent about
// 1.6 ms a row in its query compiler (the same cost core/outbox/add-deliveries.ts measured), which
// kept the derivation's transaction open past its timeout and the worker's heap past its cap.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db';

/** A new row: the task and its text; `settled` rows need no push (written with their reason). */
export interface NewTodoRow {
  taskKey: string;
  personId: string;
  subjectType: string;
  subjectId: string;
  kind: string;
  subject: string;
  description: string;
  dueAt: Date | null;
  priority: number;
  path: string;
  /** Settled at once (nobody to push to): not pending, synced, with the reason. */
  settled?: { errorCode: string; errorMessage: string };
}

/** Writes the rows, 5,000 a statement; returns their ids with whether each waits for a push. */
export async function insertTodoRows(tx: Tx, rows: NewTodoRow[]): Promise<Array<{ id: string; pending: boolean }>> {
  const out: Array<{ id: string; pending: boolean }> = [];
  for (let i = 0; i < rows.length; i += 5000) out.push(...(await insertChunk(tx, rows.slice(i, i + 5000))));
  return out;
}

async function insertChunk(tx: Tx, rows: NewTodoRow[]): Promise<Array<{ id: string; pending: boolean }>> {
  if (rows.length === 0) return [];
  const col = <T>(f: (r: NewTodoRow) => T) => rows.map(f);
  const ids = col(() => randomUUID());
  await tx.$executeRawUnsafe(
    `INSERT INTO "TodoItem" (id, "taskKey", "personId", "subjectType", "subjectId", kind, subject, description,
                             "dueAt", priority, path, pending, "syncedRev", "errorCode", "errorMessage", "updatedAt")
     SELECT t.id, t.task, t.person, t.stype, t.sid, t.kind, t.subject, t.description, t.due, t.priority, t.path,
            NOT t.settled, CASE WHEN t.settled THEN 1 ELSE 0 END, t.code, t.message, $15
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::timestamptz[], $10::int[], $11::text[], $12::boolean[], $13::text[], $14::text[])
         AS t(id, task, person, stype, sid, kind, subject, description, due, priority, path, settled, code, message)`,
    ids,
    col((r) => r.taskKey),
    col((r) => r.personId),
    col((r) => r.subjectType),
    col((r) => r.subjectId),
    col((r) => r.kind),
    col((r) => r.subject),
    col((r) => r.description),
    col((r) => r.dueAt),
    col((r) => r.priority),
    col((r) => r.path),
    col((r) => r.settled !== undefined),
    col((r) => r.settled?.errorCode ?? null),
    col((r) => r.settled?.errorMessage ?? null),
    new Date(),
  );
  return rows.map((r, i) => ({ id: ids[i]!, pending: r.settled === undefined }));
}
