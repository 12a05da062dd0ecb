// DingTalk to-dos (待办, issue #21; core/todos, docs/dingtalk-todo.md): whether every open task of a
// person is mirrored in their DingTalk to-do list, and how closely the mirror follows the record.
import { bool, intBetween } from './shapes';
import { setting } from './setting';

/** To-do sync settings. */
export const todoSettings = {
  /** Mirror open tasks as DingTalk to-dos (needs the to-do write permission, Todo.Todo.Write). */
  sync: setting('TODO_SYNC', bool.default(true)),
  /** How often the record's new events are read and the to-dos they touch derived again, ms. */
  followMs: setting('TODO_FOLLOW_MS', intBetween(200, 600_000).default(1_000)),
  /**
   * How often every open task is derived again and unsynced to-dos are pushed again, ms: catches
   * what only time changes (a warning that expired) and anything a lost job left behind.
   */
  sweepMs: setting('TODO_SWEEP_MS', intBetween(10_000, 86_400_000).default(600_000)),
} as const;
