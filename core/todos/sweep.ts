// The sweep (issue #21): every subject with a task open now or a to-do still open is derived
// again. It catches what only time changes (a warning that expired), subjects whose derivation
// failed, and everything before the follower's first pass.
import type { PrismaClient } from '../db';
import { syncSubject, SYNC_TX } from './reconcile';
import { openSubjects } from './subjects';
import type { RenderTodo, TodoRules, TodoSubject } from './types';

/** What a sweep did. */
export interface SweepResult {
  subjects: number;
  changed: string[];
  failures: Array<{ subject: TodoSubject; err: unknown }>;
}

/** Derives every open subject again. */
export async function sweepTodos(
  prisma: PrismaClient,
  opts: { render: RenderTodo; rules: TodoRules; now?: Date },
): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const subjects = await prisma.$transaction((tx) => openSubjects(tx, { ...opts.rules, now }));
  return { subjects: subjects.length, ...(await syncSubjects(prisma, subjects, { ...opts, now })) };
}

/**
 * Derives each subject again, each in its own transaction (one failing leaves the others done; the
 * next sweep derives it again). Returns the rows that changed and the subjects that failed.
 */
export async function syncSubjects(
  prisma: PrismaClient,
  subjects: TodoSubject[],
  opts: { render: RenderTodo; rules: TodoRules; now: Date },
): Promise<Omit<SweepResult, 'subjects'>> {
  const result: Omit<SweepResult, 'subjects'> = { changed: [], failures: [] };
  for (const subject of subjects) {
    try {
      result.changed.push(...(await prisma.$transaction((tx) => syncSubject(tx, subject, opts), SYNC_TX)));
    } catch (err) {
      result.failures.push({ subject, err });
    }
  }
  return result;
}
