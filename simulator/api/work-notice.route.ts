// Work notification (工作通知) on the oapi family (§5): asyncsend_v2, getsendresult and the OA
// status bar update, including DingTalk's silent drops (same content to a user twice a day, 500 per
// user per day, 5,000 people a minute per app: docs/warning-broadcast.md [W1], [W2]); each of them
// is a setting (settings.ts), the daily cap being UNCONFIRMED.
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { SimContext } from '../context';
import { shanghaiDay } from '../clock';
import { bodyObject } from '../http/body';
import { OapiError, oapiParamError } from '../http/errors';
import { gate, type GateState } from '../http/gate';
import {
  findUser,
  messageBySeq,
  recordMessage,
  userVisibleTo,
  type SimApp,
  type SimulatorState,
  type WorkNoticeTask,
} from '../state';

const MSG_REQUIRED: Record<string, string[]> = {
  text: ['content'],
  markdown: ['title', 'text'],
  link: ['messageUrl', 'title', 'text'],
  image: ['media_id'],
  file: ['media_id'],
  voice: ['media_id'],
  action_card: ['title', 'markdown'],
  oa: ['message_url', 'body'],
};
/** forbidden_list code for the per-minute cap (UNCONFIRMED: the reference lists 143103/143104 for QPM). */
const PER_MINUTE_CODE = '143104';

function parseMsg(raw: unknown): Record<string, unknown> {
  let msg = raw;
  if (typeof raw === 'string') {
    try {
      msg = JSON.parse(raw);
    } catch {
      throw oapiParamError('msg 不是合法的 JSON');
    }
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw oapiParamError('msg 不能为空');
  const m = msg as Record<string, unknown>;
  const type = m['msgtype'];
  if (typeof type !== 'string' || !MSG_REQUIRED[type]) throw oapiParamError(`msgtype 不合法: ${String(type)}`);
  const body = m[type];
  if (!body || typeof body !== 'object') throw oapiParamError(`msg.${type} 不能为空`);
  const missing = MSG_REQUIRED[type]!.filter((f) => (body as Record<string, unknown>)[f] === undefined);
  if (missing.length > 0) throw oapiParamError(`msg.${type} 缺少字段 ${missing.join(',')}`);
  if (Buffer.byteLength(JSON.stringify(m), 'utf8') > 2048) throw oapiParamError('msg 超过 2048 字节');
  return m;
}

function commaList(raw: unknown, name: string, max: number): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw !== 'string') throw oapiParamError(`${name} 必须是逗号分隔的字符串`);
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length > max) throw oapiParamError(`${name} 超过 ${max} 个`);
  return list;
}

function recipients(
  state: SimulatorState,
  app: SimApp,
  userIds: string[],
  deptIds: string[],
  toAll: boolean,
): { users: string[]; invalid: string[] } {
  const out = new Set<string>();
  const invalid: string[] = [];
  // Looked up by id: a province's warning sends to 127,000 people, 100 a call.
  for (const id of userIds) {
    if (findUser(state, app.appKey, id)) out.add(id);
    else invalid.push(id);
  }
  if (deptIds.length > 0 || toAll) {
    const corpUsers = [...state.users.values()].filter((u) => userVisibleTo(u, app.appKey));
    for (const d of deptIds) for (const u of corpUsers) if (u.deptIds.includes(Number(d))) out.add(u.userId);
    if (toAll) for (const u of corpUsers) out.add(u.userId);
  }
  return { users: [...out], invalid };
}

/** How many more people the app's work notices may reach this minute (sliding window). */
function minuteRoom(state: SimulatorState, appKey: string, now: number): number {
  const cap = state.settings.workNoticeRecipientsPerMinute;
  if (cap === null) return Number.POSITIVE_INFINITY;
  const log = (state.workNoticeMinute.get(appKey) ?? []).filter((e) => e.at > now - 60_000);
  state.workNoticeMinute.set(appKey, log);
  return Math.max(0, cap - log.reduce((n, e) => n + e.n, 0));
}

/** The OA status bar of a message body, if it has one. */
function statusBarOf(msg: Record<string, unknown>): WorkNoticeTask['statusBar'] {
  const bar = msg['msgtype'] === 'oa' ? (msg['oa'] as Record<string, unknown>)['status_bar'] : undefined;
  if (!bar || typeof bar !== 'object') return undefined;
  const b = bar as Record<string, unknown>;
  return typeof b['status_value'] === 'string'
    ? { status_value: b['status_value'], status_bg: typeof b['status_bg'] === 'string' ? b['status_bg'] : undefined }
    : undefined;
}

/** Registers the work-notice routes. */
export function workNoticeRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;
  /** The caller's task named in the body (agent_id and task_id checked). */
  const taskOf = (ctx: Koa.Context, b: Record<string, unknown>): WorkNoticeTask => {
    const app = (ctx.state as GateState).app;
    if (Number(b['agent_id']) !== app.agentId) throw new OapiError(40056, '不合法的agentId');
    const task = state.workNotices.get(Number(b['task_id']));
    if (!task || task.appKey !== app.appKey) throw oapiParamError(`task_id 不存在: ${String(b['task_id'])}`);
    return task;
  };

  router.post(
    '/topapi/message/corpconversation/asyncsend_v2',
    gate(sim, { api: 'workNotice.send', family: 'oapi', auth: 'token' }),
    (ctx) => {
      const app = (ctx.state as GateState).app;
      const b = bodyObject(ctx);
      if (b['agent_id'] === undefined || b['agent_id'] === '') throw oapiParamError('agent_id 不能为空');
      if (Number(b['agent_id']) !== app.agentId) throw new OapiError(40056, '不合法的agentId');
      const userIds = commaList(b['userid_list'], 'userid_list', 100);
      const deptIds = commaList(b['dept_id_list'], 'dept_id_list', 20);
      const toAll = b['to_all_user'] === true || b['to_all_user'] === 'true';
      if (userIds.length === 0 && deptIds.length === 0 && !toAll)
        throw oapiParamError('userid_list、dept_id_list、to_all_user 至少填一个');
      const msg = parseMsg(b['msg']);
      const hash = createHash('sha256').update(JSON.stringify(msg)).digest('hex');
      const taskId = ++state.nextTaskId;
      const { users, invalid } = recipients(state, app, userIds, deptIds, toAll);
      const task: WorkNoticeTask = {
        taskId,
        appKey: app.appKey,
        invalid,
        forbidden: [],
        delivered: [],
        statusBar: statusBarOf(msg),
      };
      const now = state.clock.now();
      const today = shanghaiDay(now);
      let room = minuteRoom(state, app.appKey, now);
      const { workNoticeSameContentDaily: sameContentDaily, workNoticesPerUserPerDay: perUserDaily } = state.settings;
      for (const userId of users) {
        const log = (state.workNoticeLog.get(userId) ?? []).filter((e) => shanghaiDay(e.at) === today);
        state.workNoticeLog.set(userId, log);
        if (sameContentDaily && log.some((e) => e.hash === hash)) {
          task.forbidden.push({ code: '143106', count: 1, userid: userId });
        } else if (perUserDaily !== null && log.length >= perUserDaily) {
          task.forbidden.push({ code: '143105', count: 1, userid: userId });
        } else if (room <= 0) {
          task.forbidden.push({ code: PER_MINUTE_CODE, count: 1, userid: userId });
        } else {
          room--;
          log.push({ hash, at: now });
          const m = recordMessage(state, {
            api: 'workNotice.send',
            appKey: app.appKey,
            to: { userId },
            msgtype: String(msg['msgtype']),
            content: msg,
            taskId,
          });
          task.delivered.push({ userId, seq: m.seq });
        }
      }
      if (task.delivered.length > 0) {
        const minute = state.workNoticeMinute.get(app.appKey) ?? [];
        minute.push({ at: now, n: task.delivered.length });
        state.workNoticeMinute.set(app.appKey, minute);
      }
      state.workNotices.set(taskId, task);
      ctx.body = { errcode: 0, errmsg: 'ok', task_id: taskId, request_id: Math.random().toString(36).slice(2) };
    },
  );

  router.post(
    '/topapi/message/corpconversation/getsendresult',
    gate(sim, { api: 'workNotice.getSendResult', family: 'oapi', auth: 'token' }),
    (ctx) => {
      const b = bodyObject(ctx);
      const task = taskOf(ctx, b);
      const read: string[] = [];
      const unread: string[] = [];
      for (const d of task.delivered) {
        const m = messageBySeq(state, d.seq);
        (m?.readAt !== undefined ? read : unread).push(d.userId);
      }
      ctx.body = {
        errcode: 0,
        errmsg: 'ok',
        send_result: {
          invalid_user_id_list: task.invalid,
          forbidden_user_id_list: task.forbidden.map((f) => f.userid),
          failed_user_id_list: [],
          read_user_id_list: read,
          unread_user_id_list: unread,
          invalid_dept_id_list: [],
          forbidden_list: task.forbidden,
        },
        request_id: Math.random().toString(36).slice(2),
      };
    },
  );

  // OA notices only, within 24 hours of sending (docs/warning-broadcast.md [W2]): every copy of the
  // task shows the new status at once.
  router.post(
    '/topapi/message/corpconversation/status_bar/update',
    gate(sim, { api: 'workNotice.updateStatusBar', family: 'oapi', auth: 'token' }),
    (ctx) => {
      const b = bodyObject(ctx);
      const task = taskOf(ctx, b);
      const value = b['status_value'];
      if (typeof value !== 'string' || value === '') throw oapiParamError('status_value 不能为空');
      const bg = typeof b['status_bg'] === 'string' ? b['status_bg'] : undefined;
      if (!task.statusBar) throw oapiParamError('只有带 status_bar 的 OA 消息可以更新状态栏');
      const now = state.clock.now();
      const first = task.delivered[0] ? messageBySeq(state, task.delivered[0].seq) : undefined;
      if (first && now - first.at > 24 * 3600_000) throw oapiParamError('只能更新 24 小时内发送的消息');
      task.statusBar = { status_value: value, status_bg: bg };
      for (const d of task.delivered) {
        const m = messageBySeq(state, d.seq);
        if (!m) continue;
        const content = structuredClone((m.revisions?.at(-1)?.content ?? m.content) as Record<string, unknown>);
        (content['oa'] as Record<string, unknown>)['status_bar'] = { ...task.statusBar };
        (m.revisions ??= []).push({ at: now, content });
      }
      state.events.emit('change', { kind: 'revision', taskId: task.taskId });
      ctx.body = { errcode: 0, errmsg: 'ok', request_id: Math.random().toString(36).slice(2) };
    },
  );
}
