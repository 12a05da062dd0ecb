// DingTalk to-dos for every open task (issue #21; docs/dingtalk-todo.md): derivations per subject,
// the one reconciler that writes to-do rows, the follower of the audit log, the sweep, and the
// database side of pushing rows to DingTalk.
export { followAudit, TODO_CURSOR_KEY, type FollowResult } from './follow';
export { todoSyncHealth, type TodoSyncHealth } from './health';
export { sweepTodos, syncSubjects, type SweepResult } from './sweep';
export { syncSubject, SUBJECT_MAX, DESCRIPTION_MAX } from './reconcile';
export { DERIVATIONS, AUDIT_SUBJECTS, openSubjects } from './subjects';
export {
  claimTodo,
  noteTodoProgress,
  settleTodo,
  releaseTodo,
  todosToPush,
  TODO_ERRORS,
  NO_UNION_ID_MESSAGE,
  TODO_LEASE_MS,
  type ClaimedTodo,
  type TodoSettlement,
} from './push-state';
export type {
  DeriveContext,
  DesiredTodo,
  Derivation,
  RenderTodo,
  TodoFacts,
  TodoKind,
  TodoPriority,
  TodoRules,
  TodoSubject,
  TodoText,
} from './types';
export { releaseFollowLease, takeFollowLease, TODO_LEASE_KEY } from './follow-lease';
