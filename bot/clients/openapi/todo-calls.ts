// DingTalk to-do calls (待办, todo_1_0) of DingTalkClient: through the official SDK, on the same
// quota, token and metrics as every other call (call-runner.ts).
import * as $Todo from '@alicloud/dingtalk/dist/todo_1_0/client';
import { DingTalkApiError } from '../errors';
import type { CallRunner } from './call-runner';
import type { SdkClients } from './sdk';
import type * as T from './types';

/** The to-do calls of one app. */
export class TodoCalls {
  constructor(
    private readonly run: CallRunner,
    private readonly sdk: SdkClients,
  ) {}

  /**
   * Creates a to-do on `unionId`'s account (todo_1_0 CreateTodoTask, permission Todo.Todo.Write;
   * fields: https://open.dingtalk.com/document/orgapp-server/add-dingtalk-to-do-task). The task is
   * shown only to its executors (isOnlyShowExecutor), and `sourceId` is ours: DingTalk answers a
   * second create with it by 400 todo.taskCreate.paramError ("task exist").
   */
  async create(unionId: string, input: T.TodoCreateInput, opts?: T.CallOptions): Promise<T.TodoTask> {
    const body = await this.run.api('todo.create', opts, (token) =>
      this.sdk.todo.createTodoTaskWithOptions(
        unionId,
        new $Todo.CreateTodoTaskRequest({
          sourceId: input.sourceId,
          subject: input.subject,
          description: input.description,
          dueTime: input.dueTime,
          priority: input.priority,
          creatorId: unionId,
          executorIds: input.executorUnionIds,
          isOnlyShowExecutor: true,
          detailUrl: new $Todo.CreateTodoTaskRequestDetailUrl({
            appUrl: input.appUrl,
            pcUrl: input.pcUrl ?? input.appUrl,
          }),
          operatorId: unionId,
        }),
        new $Todo.CreateTodoTaskHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return todoTask('todo.create', body, input.sourceId);
  }

  /** Updates a to-do: subject, description, due time, done, executors (todo_1_0 UpdateTodoTask). */
  async update(unionId: string, taskId: string, input: T.TodoUpdateInput, opts?: T.CallOptions): Promise<void> {
    await this.run.api('todo.update', opts, (token) =>
      this.sdk.todo.updateTodoTaskWithOptions(
        unionId,
        taskId,
        new $Todo.UpdateTodoTaskRequest({
          subject: input.subject,
          description: input.description,
          dueTime: input.dueTime,
          done: input.done,
          executorIds: input.executorUnionIds,
          operatorId: unionId,
        }),
        new $Todo.UpdateTodoTaskHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
  }

  /** Deletes a to-do (todo_1_0 DeleteTodoTask). */
  async delete(unionId: string, taskId: string, opts?: T.CallOptions): Promise<void> {
    await this.run.api('todo.delete', opts, (token) =>
      this.sdk.todo.deleteTodoTaskWithOptions(
        unionId,
        taskId,
        new $Todo.DeleteTodoTaskRequest({ operatorId: unionId }),
        new $Todo.DeleteTodoTaskHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
  }

  /** The to-do created with `sourceId` (todo_1_0 GetTodoTaskBySourceId). */
  async bySourceId(unionId: string, sourceId: string, opts?: T.CallOptions): Promise<T.TodoTask> {
    const body = await this.run.api('todo.getBySourceId', opts, (token) =>
      this.sdk.todo.getTodoTaskBySourceIdWithOptions(
        unionId,
        sourceId,
        new $Todo.GetTodoTaskBySourceIdHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return todoTask('todo.getBySourceId', body, sourceId);
  }

  /** The user's open (or done) to-dos, one page (todo_1_0 QueryTodoTasks); `doctor` checks access with it. */
  async list(unionId: string, done: boolean, opts?: T.CallOptions): Promise<T.TodoTask[]> {
    const body = await this.run.api('todo.list', opts, (token) =>
      this.sdk.todo.queryTodoTasksWithOptions(
        unionId,
        new $Todo.QueryTodoTasksRequest({ isDone: done }),
        new $Todo.QueryTodoTasksHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return (body?.todoCards ?? []).map((c) => ({
      taskId: String(c.taskId ?? ''),
      sourceId: c.sourceId,
      subject: String(c.subject ?? ''),
      done: c.isDone === true,
      dueTime: c.dueTime,
      priority: c.priority,
    }));
  }
}

/** A create or get answer as a TodoTask. */
function todoTask(
  api: 'todo.create' | 'todo.getBySourceId',
  body:
    | { id?: string; sourceId?: string; subject?: string; done?: boolean; dueTime?: number; priority?: number }
    | undefined,
  sourceId: string,
): T.TodoTask {
  if (!body?.id)
    throw new DingTalkApiError({ api, dingMessage: '钉钉未返回待办 id' }, { kind: 'server', retryable: true });
  return {
    taskId: body.id,
    sourceId: body.sourceId ?? sourceId,
    subject: String(body.subject ?? ''),
    done: body.done === true,
    dueTime: body.dueTime,
    priority: body.priority,
  };
}
