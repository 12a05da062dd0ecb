// DingTalk to-dos (todo_1_0) through DingTalkClient and the official SDK against the simulator:
// create with a sourceId (a second create with it is refused and the task is found by it), update,
// done, delete, the person's list in the simulator, ticking a to-do off there, and the refusals
// (a deleted to-do, an unknown unionId, no permission).
import { DingTalkApiError } from '../../../bot/clients/errors';
import { DingTalkClient } from '../../../bot/clients/openapi/dingtalk-client';
import { createTestRedis, type TestRedis } from '../../helpers/redis';
import { startTestSimulator, type TestSimulator } from '../../helpers/simulator';

interface SimTodoView {
  id: string;
  subject: string;
  description?: string;
  done: boolean;
  dueTime?: number;
  priority?: number;
  priorityLabel: string;
  executorIds: string[];
  detailUrl?: { appUrl?: string; pcUrl?: string };
  deleted: boolean;
  history: Array<{ source: string }>;
}

let t: TestRedis;
let s: TestSimulator;
let client: DingTalkClient;
let zhang: string;
let li: string;

beforeAll(async () => {
  t = createTestRedis('dttodo');
  s = await startTestSimulator();
  await s.addUsers([
    { userId: 'u-zhang', name: '张三' },
    { userId: 'u-li', name: '李四' },
  ]);
  const users = await s.call<{ users: Array<{ userId: string; unionId: string }> }>('GET', '/__sim/users');
  zhang = users.users.find((u) => u.userId === 'u-zhang')!.unionId;
  li = users.users.find((u) => u.userId === 'u-li')!.unionId;
  client = new DingTalkClient({ config: s.config.dingtalk, redis: t.redis, keyPrefix: t.prefix });
});
afterAll(async () => {
  await s.close();
  await t.cleanup();
});

const list = async (userId: string) =>
  (await s.call<{ todos: SimTodoView[] }>('GET', `/__sim/todos?userId=${userId}`)).todos;

async function refusal(p: Promise<unknown>): Promise<DingTalkApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DingTalkApiError);
  return err as DingTalkApiError;
}

test('a to-do is created on the person, shown in their list only, updated, ticked off and deleted', async () => {
  const due = Date.parse('2026-12-08T10:00:00+08:00');
  const task = await client.todoCreate(zhang, {
    sourceId: 'lg-test-1',
    subject: '杭州示例石化：防雷隐患待整改',
    description: '接地电阻超标，请于截止日期前整改并上传照片',
    dueTime: due,
    priority: 40,
    executorUnionIds: [zhang],
    appUrl: 'http://127.0.0.1:9/m/hazards/h1?corpId=dingcorp0leiguard',
  });
  expect(task).toMatchObject({ sourceId: 'lg-test-1', done: false, dueTime: due, priority: 40 });
  expect(await list('u-li')).toEqual([]);
  const [mine] = await list('u-zhang');
  expect(mine).toMatchObject({
    id: task.taskId,
    subject: '杭州示例石化：防雷隐患待整改',
    priorityLabel: '非常紧急',
    executorIds: [zhang],
    detailUrl: { appUrl: 'http://127.0.0.1:9/m/hazards/h1?corpId=dingcorp0leiguard' },
  });

  // A second create with the same sourceId is refused; the task is found by its sourceId.
  const again = await refusal(
    client.todoCreate(zhang, { sourceId: 'lg-test-1', subject: 'x', executorUnionIds: [zhang], appUrl: 'http://x' }),
  );
  expect(again).toMatchObject({ dingCode: 'todo.taskCreate.paramError', dingMessage: 'task exist', kind: 'invalid' });
  expect((await client.todoBySourceId(zhang, 'lg-test-1')).taskId).toBe(task.taskId);
  expect(await list('u-zhang')).toHaveLength(1);

  const later = due + 5 * 86_400_000;
  await client.todoUpdate(zhang, task.taskId, { dueTime: later });
  expect((await list('u-zhang'))[0]).toMatchObject({ dueTime: later, done: false });
  await client.todoUpdate(zhang, task.taskId, { done: true });
  expect((await list('u-zhang'))[0]).toMatchObject({ done: true });
  expect(await client.todoList(zhang, false)).toEqual([]);
  await client.todoUpdate(zhang, task.taskId, { done: false });
  expect((await client.todoList(zhang, false)).map((x) => x.taskId)).toEqual([task.taskId]);

  // Ticking it off in DingTalk marks only the DingTalk task done.
  const ticked = await s.call<SimTodoView>('POST', `/__sim/todos/${task.taskId}/done`, { userId: 'u-zhang' });
  expect(ticked.done).toBe(true);

  await client.todoDelete(zhang, task.taskId);
  expect(await list('u-zhang')).toEqual([]);
  const gone = await refusal(client.todoUpdate(zhang, task.taskId, { done: true }));
  expect(gone).toMatchObject({ dingCode: 'todo.taskUpdate.paramError', dingMessage: 'task not exist' });
  const view = await s.call<SimTodoView>('GET', `/__sim/todos/${task.taskId}`);
  expect(view.history.map((h) => h.source)).toEqual(['create', 'update', 'update', 'update', 'user-done', 'delete']);
});

test('an unknown unionId and bad fields are refused as invalid; nothing is created', async () => {
  const unknown = await refusal(
    client.todoCreate('union-nobody', {
      sourceId: 'lg-test-2',
      subject: '隐患',
      executorUnionIds: ['union-nobody'],
      appUrl: 'http://x',
    }),
  );
  expect(unknown).toMatchObject({ dingCode: 'todo.taskCreate.paramError', kind: 'invalid', retryable: false });
  const long = await refusal(
    client.todoCreate(li, { sourceId: 'lg-test-3', subject: '隐'.repeat(1025), executorUnionIds: [li], appUrl: 'x' }),
  );
  expect(long.dingMessage).toBe('subject is oversize');
  expect(await list('u-li')).toEqual([]);
});

test('an app without the to-do permission is refused with 403 (permission, not retried)', async () => {
  await s.call('PUT', `/__sim/apps/${s.app.appKey}/refusals`, { apis: ['todo.create', 'todo.list'] });
  try {
    const denied = await refusal(client.todoList(li, false));
    expect(denied).toMatchObject({
      httpStatus: 403,
      dingCode: 'Forbidden.AccessDenied.AccessTokenPermissionDenied',
      kind: 'permission',
      retryable: false,
    });
  } finally {
    await s.call('PUT', `/__sim/apps/${s.app.appKey}/refusals`, {});
  }
  expect(await client.todoList(li, false)).toEqual([]);
});
