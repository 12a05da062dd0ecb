// DingTalk to-dos in tests (issue #21): people with unionIds in both the record and the simulated
// directory, and each person's to-do list as the simulator keeps it.
import request from 'supertest';
import { loadDirectory } from '../../app/embedded';
import { createWorld, type World } from './fixtures';
import { startTestRuntime, type TestRuntime } from './runtime';
import { signIn } from './session';

/** A to-do as the simulator's test API shows it. */
export interface SimTodo {
  id: string;
  subject: string;
  description?: string;
  done: boolean;
  deleted: boolean;
  dueTime?: number;
  priority?: number;
  priorityLabel: string;
  sourceId?: string;
  detailUrl?: { appUrl?: string; pcUrl?: string };
  history: Array<{ source: string; fields?: Record<string, unknown> }>;
}

/** The unionId a test gives the person with DingTalk userId `userId`. */
export const unionOf = (userId: string) => `union-${userId}`;

/** Gives each person (by id) their DingTalk userId's unionId in the record and in the simulator. */
export async function withUnionIds(
  t: TestRuntime,
  people: Array<{ personId: string; userId: string; name: string }>,
): Promise<void> {
  for (const p of people) {
    await t.db.prisma.person.update({ where: { id: p.personId }, data: { dingUnionId: unionOf(p.userId) } });
  }
  await loadDirectory(
    t.sim.sim,
    people.map((p) => ({ userId: p.userId, unionId: unionOf(p.userId), name: p.name })),
  );
}

/** A to-do test file's runtime and world (set in its beforeAll). */
export interface TodoSuite {
  t: TestRuntime;
  w: World;
  url: string;
  /** A mini-app session of the DingTalk user (免登), kept for the file. */
  as(userId: string): Promise<string>;
  /** DingTalk userIds of the world's regulator, manager and legal representative. */
  REG(): string;
  MGR(): string;
  REP(): string;
}

/**
 * Registers the file's hooks: a runtime following the record every 200 ms and the fixture's world,
 * its regulator, manager and legal representative (w.users[0..2]) with unionIds.
 */
export function todoSuite(env: Record<string, string> = {}): TodoSuite {
  const sessions = new Map<string, string>();
  const s = {
    url: '',
    as: (userId: string) => signIn(s.t, userId, sessions),
    REG: () => s.w.users[0]!.userId,
    MGR: () => s.w.users[1]!.userId,
    REP: () => s.w.users[2]!.userId,
  } as TodoSuite;
  beforeAll(async () => {
    s.t = await startTestRuntime({ env: { TODO_FOLLOW_MS: '200', ...env } });
    s.w = await createWorld(s.t.db.prisma);
    await withUnionIds(s.t, [
      { personId: s.w.regulatorId, ...s.w.users[0]! },
      { personId: s.w.managerId, ...s.w.users[1]! },
      { personId: s.w.legalRepId, ...s.w.users[2]! },
    ]);
    s.url = s.t.runtime.httpUrl!;
  }, 60_000);
  afterAll(async () => {
    await s.t?.close();
  });
  return s;
}

/** A person's to-do list in DingTalk (open ones first; `open` leaves out the done ones). */
export async function todosOf(t: TestRuntime, userId: string, open = false): Promise<SimTodo[]> {
  const q = `/__sim/todos?userId=${encodeURIComponent(userId)}${open ? '&open=1' : ''}`;
  return (await t.sim.call<{ todos: SimTodo[] }>('GET', q)).todos;
}

/** Every to-do the simulator holds, deleted ones included. */
export async function allTodos(t: TestRuntime): Promise<Array<SimTodo & { appKey: string }>> {
  return (await t.sim.call<{ todos: Array<SimTodo & { appKey: string }> }>('GET', '/__sim/todos')).todos;
}

/** The pages of the person's tasks in the mini-app (「我的待办」). */
export async function taskPages(s: TodoSuite, userId: string): Promise<string[]> {
  const res = await request(s.url)
    .get('/api/m/tasks')
    .set('authorization', await s.as(userId))
    .expect(200);
  return (res.body.items as Array<{ href: string | null }>).map((x) => new URL(x.href ?? '/', s.url).pathname);
}

/** The path of a to-do's link (what it opens in the mini-app). */
export function linkPath(todo: SimTodo): string {
  return new URL(todo.detailUrl?.appUrl ?? 'http://x/').pathname;
}
