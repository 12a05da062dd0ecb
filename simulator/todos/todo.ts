// The shape of a simulated DingTalk to-do task (todo_1_0 fields; the store is todo-store.ts).

/** The detail link of a to-do (app and PC). */
export interface SimTodoDetailUrl {
  appUrl?: string;
  pcUrl?: string;
}

/** One change to a to-do, for inspection. */
export interface SimTodoHistoryEntry {
  at: number;
  /** create / update / delete through the API, or done by a person in the to-do list. */
  source: 'create' | 'update' | 'delete' | 'user-done';
  /** The fields the change set (API) or who completed it (user-done). */
  fields?: Record<string, unknown>;
  userId?: string;
}

/** A DingTalk to-do task. */
export interface SimTodo {
  id: string;
  appKey: string;
  /** unionId in the path of the create call (DingTalk: the user the task belongs to). */
  ownerUnionId: string;
  sourceId?: string;
  subject: string;
  description?: string;
  creatorId?: string;
  operatorId?: string;
  dueTime?: number;
  priority?: number;
  executorIds: string[];
  participantIds: string[];
  isOnlyShowExecutor: boolean;
  detailUrl?: SimTodoDetailUrl;
  done: boolean;
  finishTime?: number;
  createdTime: number;
  modifiedTime: number;
  deleted: boolean;
  history: SimTodoHistoryEntry[];
}
