// todo_1_0 (待办): create, update, delete, get, get by sourceId and list, as @alicloud/dingtalk's
// todo_1_0 client calls them (paths and fields from its client.js / client.d.ts). Error codes of
// create and update follow DingTalk's pages ("add a to-do", "update a to-do"):
// 400 todo.taskCreate.paramError "task exist" / "subject is oversize" / "description is oversize" /
// "dueTime is invalid", 400 todo.taskUpdate.paramError "task not exist" / "task not belong to
// bizTag". The codes of delete and get, and the answer for an unknown unionId, are not published
// (UNCONFIRMED): the simulator answers 400 todo.taskDelete.paramError / todo.taskGet.paramError /
// <op>.paramError "user not exist" in the same style.
import type Router from '@koa/router';
import type Koa from 'koa';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { ApiError } from '../http/errors';
import { gate, type GateState } from '../http/gate';
import { randomHex } from '../ids';
import type { SimApp, SimulatorState } from '../state';
import {
  TODO_PRIORITIES,
  todoBody,
  userByUnionId,
  visibleTo,
  type SimTodo,
  type SimTodoDetailUrl,
} from '../todos/todo-store';

const SUBJECT_MAX = 1024;
const DESCRIPTION_MAX = 4096;
const PEOPLE_MAX = 1000;

type Op = 'taskCreate' | 'taskUpdate' | 'taskDelete' | 'taskGet' | 'taskQuery';

function paramError(op: Op, message: string): ApiError {
  return new ApiError(400, `todo.${op}.paramError`, message);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function idList(op: Op, v: unknown, what: 'executors' | 'participants'): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) throw paramError(op, `${what} is invalid`);
  if (v.length > PEOPLE_MAX) throw paramError(op, `${what} is oversize`);
  return [...new Set(v as string[])];
}

function checkPeople(state: SimulatorState, app: SimApp, op: Op, ids: string[]): void {
  for (const id of ids) if (!userByUnionId(state, app.appKey, id)) throw paramError(op, 'user not exist');
}

function dueTime(op: Op, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw paramError(op, 'dueTime is invalid');
  return v;
}

function detailUrl(v: unknown): SimTodoDetailUrl | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return { appUrl: str(o['appUrl']), pcUrl: str(o['pcUrl']) };
}

function text(op: Op, v: unknown, max: number, what: 'subject' | 'description'): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw paramError(op, `${what} is invalid`);
  if ([...v].length > max) throw paramError(op, `${what} is oversize`);
  return v;
}

/** The path user, who must exist in the app's corp. */
function pathUser(ctx: Koa.Context, state: SimulatorState, op: Op): { app: SimApp; unionId: string } {
  const app = (ctx.state as GateState).app;
  const unionId = ctx.params['unionId'] ?? '';
  if (!userByUnionId(state, app.appKey, unionId)) throw paramError(op, 'user not exist');
  return { app, unionId };
}

/** The task in the path; deleted ones and other apps' ones are not there for this caller. */
function pathTask(ctx: Koa.Context, state: SimulatorState, app: SimApp, op: Op): SimTodo {
  const t = state.todos.get(ctx.params['taskId'] ?? '');
  if (!t || t.deleted) throw paramError(op, 'task not exist');
  if (t.appKey !== app.appKey) throw paramError(op, 'task not belong to bizTag');
  return t;
}

function changed(state: SimulatorState, t: SimTodo): void {
  state.events.emit('change', { kind: 'todo', id: t.id });
}

/** Registers the to-do routes. */
export function todoRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;
  const operatorOf = (ctx: Koa.Context) => str(ctx.query['operatorId']);

  router.post(
    '/v1.0/todo/users/:unionId/tasks',
    gate(sim, { api: 'todo.create', family: 'api', auth: 'token' }),
    (ctx) => {
      const op: Op = 'taskCreate';
      const { app, unionId } = pathUser(ctx, state, op);
      const b = bodyObject(ctx);
      const subject = text(op, b['subject'], SUBJECT_MAX, 'subject');
      if (!subject) throw paramError(op, 'subject is empty');
      const description = text(op, b['description'], DESCRIPTION_MAX, 'description');
      const executorIds = idList(op, b['executorIds'], 'executors') ?? [];
      const participantIds = idList(op, b['participantIds'], 'participants') ?? [];
      checkPeople(state, app, op, [...executorIds, ...participantIds]);
      const priority = b['priority'];
      if (priority !== undefined && !TODO_PRIORITIES.includes(priority as 10))
        throw paramError(op, 'priority is invalid');
      const sourceId = str(b['sourceId']);
      if (sourceId && [...state.todos.values()].some((t) => t.appKey === app.appKey && t.sourceId === sourceId)) {
        throw paramError(op, 'task exist');
      }
      const now = state.clock.now();
      const t: SimTodo = {
        id: `task${randomHex(12)}`,
        appKey: app.appKey,
        ownerUnionId: unionId,
        sourceId,
        subject,
        description,
        creatorId: str(b['creatorId']),
        operatorId: operatorOf(ctx),
        dueTime: dueTime(op, b['dueTime']),
        priority: priority as number | undefined,
        executorIds,
        participantIds,
        isOnlyShowExecutor: b['isOnlyShowExecutor'] === true,
        detailUrl: detailUrl(b['detailUrl']),
        done: false,
        createdTime: now,
        modifiedTime: now,
        deleted: false,
        history: [],
      };
      t.history.push({ at: now, source: 'create', fields: { ...todoBody(t) } });
      state.todos.set(t.id, t);
      changed(state, t);
      ctx.body = { ...todoBody(t), requestId: randomHex(8) };
    },
  );

  router.put(
    '/v1.0/todo/users/:unionId/tasks/:taskId',
    gate(sim, { api: 'todo.update', family: 'api', auth: 'token' }),
    (ctx) => {
      const op: Op = 'taskUpdate';
      const { app } = pathUser(ctx, state, op);
      const t = pathTask(ctx, state, app, op);
      const b = bodyObject(ctx);
      const fields: Record<string, unknown> = {};
      const subject = text(op, b['subject'], SUBJECT_MAX, 'subject');
      const description = text(op, b['description'], DESCRIPTION_MAX, 'description');
      const due = dueTime(op, b['dueTime']);
      const executorIds = idList(op, b['executorIds'], 'executors');
      const participantIds = idList(op, b['participantIds'], 'participants');
      checkPeople(state, app, op, [...(executorIds ?? []), ...(participantIds ?? [])]);
      if (b['done'] !== undefined && typeof b['done'] !== 'boolean') throw paramError(op, 'done is invalid');
      const now = state.clock.now();
      if (subject !== undefined) t.subject = fields['subject'] = subject;
      if (description !== undefined) t.description = fields['description'] = description;
      if (due !== undefined) t.dueTime = fields['dueTime'] = due;
      if (executorIds) t.executorIds = fields['executorIds'] = executorIds;
      if (participantIds) t.participantIds = fields['participantIds'] = participantIds;
      if (typeof b['done'] === 'boolean') {
        fields['done'] = b['done'];
        if (b['done'] !== t.done) t.finishTime = b['done'] ? now : undefined;
        t.done = b['done'];
      }
      t.modifiedTime = now;
      t.operatorId = operatorOf(ctx) ?? t.operatorId;
      t.history.push({ at: now, source: 'update', fields });
      changed(state, t);
      ctx.body = { result: true };
    },
  );

  router.delete(
    '/v1.0/todo/users/:unionId/tasks/:taskId',
    gate(sim, { api: 'todo.delete', family: 'api', auth: 'token' }),
    (ctx) => {
      const op: Op = 'taskDelete';
      const { app } = pathUser(ctx, state, op);
      const t = pathTask(ctx, state, app, op);
      const now = state.clock.now();
      t.deleted = true;
      t.modifiedTime = now;
      t.history.push({ at: now, source: 'delete' });
      changed(state, t);
      ctx.body = { requestId: randomHex(8), result: true };
    },
  );

  router.get(
    '/v1.0/todo/users/:unionId/tasks/sources/:sourceId',
    gate(sim, { api: 'todo.getBySourceId', family: 'api', auth: 'token' }),
    (ctx) => {
      const op: Op = 'taskGet';
      const { app } = pathUser(ctx, state, op);
      const sourceId = ctx.params['sourceId'] ?? '';
      const t = [...state.todos.values()].find((x) => x.appKey === app.appKey && x.sourceId === sourceId && !x.deleted);
      if (!t) throw paramError(op, 'task not exist');
      ctx.body = { ...todoBody(t), requestId: randomHex(8) };
    },
  );

  router.get(
    '/v1.0/todo/users/:unionId/tasks/:taskId',
    gate(sim, { api: 'todo.get', family: 'api', auth: 'token' }),
    (ctx) => {
      const op: Op = 'taskGet';
      const { app } = pathUser(ctx, state, op);
      ctx.body = { ...todoBody(pathTask(ctx, state, app, op)), requestId: randomHex(8) };
    },
  );

  // QueryTodoTasks: the user's list (isDone filter; roleTypes and paging are accepted, one page).
  router.post(
    '/v1.0/todo/users/:unionId/tasks/list',
    gate(sim, { api: 'todo.list', family: 'api', auth: 'token' }),
    (ctx) => {
      const op: Op = 'taskQuery';
      const { app, unionId } = pathUser(ctx, state, op);
      const b = bodyObject(ctx);
      const isDone = typeof b['isDone'] === 'boolean' ? b['isDone'] : undefined;
      const cards = [...state.todos.values()]
        .filter((t) => t.appKey === app.appKey && visibleTo(t, unionId))
        .filter((t) => isDone === undefined || t.done === isDone)
        .sort((a, b2) => a.createdTime - b2.createdTime)
        .map((t) => ({
          taskId: t.id,
          subject: t.subject,
          dueTime: t.dueTime,
          detailUrl: t.detailUrl,
          priority: t.priority,
          isDone: t.done,
          sourceId: t.sourceId,
          creatorId: t.creatorId ?? t.ownerUnionId,
          createdTime: t.createdTime,
          modifiedTime: t.modifiedTime,
          bizTag: t.appKey,
        }));
      ctx.body = { todoCards: cards, totalCount: cards.length };
    },
  );
}
