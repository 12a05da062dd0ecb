// Makes one to-do row's DingTalk task match the row (issue #21; docs/dingtalk-todo.md): create it on
// the person (sourceId = the row's id and generation, so a create sent twice makes one task: the
// second is refused and the task found by its sourceId), update its text, due time and done flag,
// delete it, or re-create it when its priority changed (DingTalk cannot update a priority) or it
// was deleted in DingTalk. Refusals retrying cannot fix are recorded on the row; busy, throttled or
// unreachable DingTalk is retried by the job.
import { DingTalkApiError } from '../../bot/clients/errors';
import type { TodoPriority } from '../../bot/clients';
import {
  claimTodo,
  NO_UNION_ID_MESSAGE,
  noteTodoProgress,
  releaseTodo,
  settleTodo,
  TODO_ERRORS,
  type ClaimedTodo,
  type TodoSettlement,
} from '../../core/todos';
import type { WorkflowDeps } from '../deps';

/** What one push did. */
export type PushResult =
  | { pushed: true; settlement: TodoSettlement; again: string[] }
  | { pushed: false; reason: 'not-pending' }
  /** Another push holds the row until `until` (its lease). */
  | { pushed: false; reason: 'held'; until: Date };

/** The to-do's link: the mini-app page, with the corpId DingTalk's 免登 asks for (docs/dingtalk-todo.md). */
export function todoLink(publicBaseUrl: string, path: string, corpId?: string): string {
  const url = new URL(path, `${publicBaseUrl.replace(/\/$/, '')}/`);
  if (corpId) url.searchParams.set('corpId', corpId);
  return url.toString();
}

const invalid = (err: unknown) => err instanceof DingTalkApiError && err.kind === 'invalid';
const refused = (err: unknown) => err instanceof DingTalkApiError && err.kind === 'permission';

/** A refusal recorded on the row: no permission, or DingTalk rejecting the request itself. */
function refusal(err: unknown): TodoSettlement | undefined {
  if (refused(err))
    return {
      ok: false,
      code: TODO_ERRORS.NO_PERMISSION,
      message: '钉钉拒绝：应用没有待办权限（待办应用中待办写权限 Todo.Todo.Write），申请后运行 leiguard doctor 检查',
    };
  if (err instanceof DingTalkApiError && !err.retryable)
    return { ok: false, code: TODO_ERRORS.REFUSED, message: `钉钉拒绝该待办：${err.dingMessage ?? err.message}` };
  return undefined;
}

/** Claims row `id`, makes DingTalk match it and settles it. */
export async function pushTodo(deps: WorkflowDeps, id: string): Promise<PushResult> {
  const claim = await claimTodo(deps.prisma, id);
  if (!claim.row) {
    // Another push holds it: that push settles it, and queues it again if it changed meanwhile; the
    // caller looks again once the lease may have lapsed (the holder gone).
    if (claim.held) return { pushed: false, reason: 'held', until: claim.until ?? new Date() };
    return { pushed: false, reason: 'not-pending' };
  }
  const row = claim.row;
  let settlement: TodoSettlement;
  try {
    settlement = await match(deps, row);
  } catch (err) {
    const own = refusal(err);
    if (!own) {
      await releaseTodo(deps.prisma, row.id, TODO_ERRORS.RETRYING, err instanceof Error ? err.message : String(err));
      throw err;
    }
    settlement = own;
  }
  const settled = await settleTodo(deps.prisma, row, row.rev, settlement);
  return { pushed: true, settlement, again: [...(settled.stillPending ? [row.id] : []), ...settled.retry] };
}

/** The DingTalk calls that make the task match the row. */
async function match(deps: WorkflowDeps, row: ClaimedTodo): Promise<TodoSettlement> {
  const dt = deps.dingtalk;
  const unionId = row.dingUnionId ?? row.person.dingUnionId;
  const sourceOf = (generation: number) => (generation === 1 ? row.id : `${row.id}#${generation}`);
  const text = {
    subject: row.subject,
    description: row.description,
    ...(row.dueAt ? { dueTime: row.dueAt.getTime() } : {}),
  };
  const progress = (p: Parameters<typeof noteTodoProgress>[2]) => noteTodoProgress(deps.prisma, row.id, p);
  /** The task of generation `g`, when a create may have reached DingTalk without its answer. */
  const lookUp = async (g: number): Promise<string | null> => {
    try {
      return (await dt.todoBySourceId(unionId!, sourceOf(g))).taskId;
    } catch (err) {
      if (invalid(err)) return null;
      throw err;
    }
  };

  if (!unionId) {
    if (row.state !== 'OPEN') return { ok: true };
    return { ok: false, code: TODO_ERRORS.NO_UNION_ID, message: NO_UNION_ID_MESSAGE };
  }
  const taskId = row.dingTaskId ?? (row.createSent ? await lookUp(row.generation) : null);
  let generation = row.generation;

  if (row.state !== 'OPEN') {
    if (!taskId) return { ok: true }; // never reached DingTalk
    try {
      if (row.state === 'DONE') await dt.todoUpdate(unionId, taskId, { ...text, done: true });
      else await dt.todoDelete(unionId, taskId);
    } catch (err) {
      // Deleted in DingTalk meanwhile (docs/dingtalk-todo.md "Errors"): nothing left to do.
      if (!invalid(err)) throw err;
    }
    await progress({ dingTaskId: taskId, dingUnionId: unionId });
    return { ok: true };
  }

  const create = async (): Promise<TodoSettlement> => {
    await progress({ generation, createSent: true, dingTaskId: null, dingUnionId: unionId });
    let created: string;
    try {
      created = (
        await dt.todoCreate(unionId, {
          sourceId: sourceOf(generation),
          subject: row.subject,
          description: row.description,
          dueTime: row.dueAt?.getTime(),
          priority: row.priority as TodoPriority,
          executorUnionIds: [unionId],
          appUrl: todoLink(deps.publicBaseUrl, row.path, deps.config.dingtalk.corpId),
        })
      ).taskId;
    } catch (err) {
      // "task exist": an earlier create with this sourceId got through.
      const found = invalid(err) ? await lookUp(generation) : null;
      if (!found) throw err;
      created = found;
      await dt.todoUpdate(unionId, created, { ...text, done: false });
    }
    await progress({ dingTaskId: created, syncedPriority: row.priority });
    return { ok: true };
  };

  if (taskId && row.syncedPriority !== null && row.syncedPriority !== row.priority) {
    // DingTalk cannot change a priority: the task is replaced under the next sourceId.
    try {
      await dt.todoDelete(unionId, taskId);
    } catch (err) {
      if (!invalid(err)) throw err;
    }
    generation++;
    return create();
  }
  if (!taskId) return create();
  try {
    await dt.todoUpdate(unionId, taskId, { ...text, done: false });
  } catch (err) {
    if (!invalid(err)) throw err;
    // Deleted in DingTalk (someone removed it): the task is still open, so it is created again.
    deps.logger.info({ todoId: row.id, taskId }, '钉钉待办已在钉钉中删除，任务仍未完成，重新创建');
    generation++;
    return create();
  }
  if (taskId !== row.dingTaskId) await progress({ dingTaskId: taskId, dingUnionId: unionId });
  return { ok: true };
}
