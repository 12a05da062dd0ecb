// Following the record (issue #21): every state change appends an audit event in its own
// transaction (core/audit), and the chain's lock makes events commit in id order, so "every event
// after the last one read" misses nothing and needs no hook in any command. Each event's subject
// is mapped onto the subjects holding tasks (./subjects.ts AUDIT_SUBJECTS) and those are derived
// again (./reconcile.ts). The cursor is kept in Postgres; reading an event twice is harmless.
import type { PrismaClient, Tx } from '../db';
import { AUDIT_SUBJECTS, dedupe, LATER } from './subjects';
import { syncSubjects } from './sweep';
import type { RenderTodo, TodoRules, TodoSubject } from './types';

/** SystemSetting key of the id of the last audit event read. */
export const TODO_CURSOR_KEY = 'todos.cursor';

/** What one pass did. */
export interface FollowResult {
  events: number;
  /** Subjects derived in this pass. */
  derived: TodoSubject[];
  /** Subjects left for a later event of theirs (./subjects.ts LATER). */
  deferred: TodoSubject[];
  /** Rows that changed (to push). */
  changed: string[];
  /** Subjects whose derivation failed (the sweep derives them again). */
  failures: Array<{ subject: TodoSubject; err: unknown }>;
  /** More events wait beyond this pass. */
  more: boolean;
  /** First pass ever: the cursor was set at the newest event; sweep what came before. */
  started: boolean;
}

async function readCursor(prisma: PrismaClient): Promise<bigint | null> {
  const row = await prisma.systemSetting.findUnique({ where: { key: TODO_CURSOR_KEY } });
  const id = (row?.value as { auditId?: string } | null)?.auditId;
  return id === undefined ? null : BigInt(id);
}

/** Moves the cursor forward only (two passes at once may finish in any order). */
async function advanceCursor(prisma: PrismaClient, to: bigint): Promise<void> {
  const value = JSON.stringify({ auditId: to.toString() });
  await prisma.$executeRaw`
    INSERT INTO "SystemSetting" (key, value, "updatedAt") VALUES (${TODO_CURSOR_KEY}, ${value}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now()
    WHERE ("SystemSetting".value->>'auditId')::numeric < (EXCLUDED.value->>'auditId')::numeric`;
}

/** The subjects the events touch (each event subject looked at once). */
async function touchedBy(tx: Tx, events: Array<{ subjectType: string; subjectId: string }>): Promise<TodoSubject[]> {
  const touched: TodoSubject[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const map = AUDIT_SUBJECTS[e.subjectType];
    const key = `${e.subjectType}:${e.subjectId}`;
    if (!map || seen.has(key)) continue;
    seen.add(key);
    touched.push(...(await map(tx, e.subjectId)));
  }
  return touched;
}

/** Splits `subjects` into those to derive now and those a later event will bring again. */
async function deferLater(tx: Tx, subjects: TodoSubject[]): Promise<{ now: TodoSubject[]; later: TodoSubject[] }> {
  const later = new Set<string>();
  for (const [type, waits] of Object.entries(LATER)) {
    const ids = subjects.filter((s) => s.type === type).map((s) => s.id);
    for (const id of await waits(tx, ids)) later.add(`${type}:${id}`);
  }
  return {
    now: subjects.filter((s) => !later.has(`${s.type}:${s.id}`)),
    later: subjects.filter((s) => later.has(`${s.type}:${s.id}`)),
  };
}

/**
 * Reads up to `batch` events after the cursor and derives the subjects they touch. The first pass
 * ever only sets the cursor at the newest event (`started`): the caller then sweeps what came
 * before (./sweep.ts).
 */
export async function followAudit(
  prisma: PrismaClient,
  opts: { render: RenderTodo; rules: TodoRules; now?: Date; batch?: number },
): Promise<FollowResult> {
  const result: FollowResult = {
    events: 0,
    derived: [],
    deferred: [],
    changed: [],
    failures: [],
    more: false,
    started: false,
  };
  const cursor = await readCursor(prisma);
  if (cursor === null) {
    const head = await prisma.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    await advanceCursor(prisma, head?.id ?? 0n);
    return { ...result, started: true };
  }
  const batch = opts.batch ?? 500;
  const events = await prisma.auditEvent.findMany({
    where: { id: { gt: cursor } },
    orderBy: { id: 'asc' },
    take: batch,
    select: { id: true, subjectType: true, subjectId: true },
  });
  if (events.length === 0) return result;
  const subjects = await prisma.$transaction(async (tx) => deferLater(tx, dedupe(await touchedBy(tx, events))));
  const now = opts.now ?? new Date();
  const synced = await syncSubjects(prisma, subjects.now, { render: opts.render, rules: opts.rules, now });
  result.changed.push(...synced.changed);
  result.failures.push(...synced.failures);
  await advanceCursor(prisma, events[events.length - 1]!.id);
  return {
    ...result,
    events: events.length,
    derived: subjects.now,
    deferred: subjects.later,
    more: events.length === batch,
  };
}
