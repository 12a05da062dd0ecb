// The simulated DingTalk to-do service (待办, todo_1_0): tasks keyed by DingTalk's task id, each
// owned by the user in the request path, shown in the lists of its executors (and participants,
// unless isOnlyShowExecutor). Fields and limits follow @alicloud/dingtalk todo_1_0
// CreateTodoTaskRequest / UpdateTodoTaskRequest and DingTalk's "add a to-do" page
// (https://open.dingtalk.com/document/orgapp-server/add-dingtalk-to-do-task): subject ≤ 1024
// characters, description ≤ 4096, priority 10 较低 / 20 普通 / 30 紧急 / 40 非常紧急, sourceId the
// caller's business id (a second create with it answers "task exist").
import type { SimUser, SimulatorState } from '../state';
import type { SimTodo } from './todo';

export type { SimTodo, SimTodoDetailUrl, SimTodoHistoryEntry } from './todo';

/** DingTalk's priorities (较低, 普通, 紧急, 非常紧急). */
export const TODO_PRIORITIES = [10, 20, 30, 40] as const;

/** Chinese label of a priority, as DingTalk's to-do list shows it. */
export function priorityLabel(p: number | undefined): string {
  return p === 40 ? '非常紧急' : p === 30 ? '紧急' : p === 10 ? '较低' : '普通';
}

/** The user with this unionId in the app's corp. */
export function userByUnionId(state: SimulatorState, appKey: string, unionId: string): SimUser | undefined {
  for (const u of state.users.values()) {
    if (u.unionId === unionId && (u.appKey === undefined || u.appKey === appKey)) return u;
  }
  return undefined;
}

/** Whether the to-do shows in the list of the user with `unionId`. */
export function visibleTo(t: SimTodo, unionId: string): boolean {
  if (t.deleted) return false;
  if (t.executorIds.includes(unionId)) return true;
  if (!t.isOnlyShowExecutor && t.participantIds.includes(unionId)) return true;
  return t.executorIds.length === 0 && t.ownerUnionId === unionId;
}

/** A user's to-do list: open ones first (soonest due first), then done ones (latest first). */
export function todoList(state: SimulatorState, unionId: string): SimTodo[] {
  const mine = [...state.todos.values()].filter((t) => visibleTo(t, unionId));
  const due = (t: SimTodo) => t.dueTime ?? Number.MAX_SAFE_INTEGER;
  return [
    ...mine.filter((t) => !t.done).sort((a, b) => due(a) - due(b) || a.createdTime - b.createdTime),
    ...mine.filter((t) => t.done).sort((a, b) => (b.finishTime ?? 0) - (a.finishTime ?? 0)),
  ];
}

/** The task as DingTalk's get/create answers show it (GetTodoTaskResponseBody fields). */
export function todoBody(t: SimTodo): Record<string, unknown> {
  return {
    id: t.id,
    subject: t.subject,
    description: t.description,
    startTime: t.createdTime,
    dueTime: t.dueTime,
    finishTime: t.finishTime,
    done: t.done,
    executorIds: t.executorIds,
    participantIds: t.participantIds,
    detailUrl: t.detailUrl,
    source: 'isv',
    sourceId: t.sourceId,
    createdTime: t.createdTime,
    modifiedTime: t.modifiedTime,
    creatorId: t.creatorId ?? t.ownerUnionId,
    modifierId: t.operatorId ?? t.ownerUnionId,
    bizTag: t.appKey,
    isOnlyShowExecutor: t.isOnlyShowExecutor,
    priority: t.priority,
  };
}

/** What the test API and the chat UI show of a to-do. */
export function todoView(t: SimTodo): Record<string, unknown> {
  return {
    ...todoBody(t),
    appKey: t.appKey,
    deleted: t.deleted,
    priorityLabel: priorityLabel(t.priority),
    history: t.history,
  };
}
