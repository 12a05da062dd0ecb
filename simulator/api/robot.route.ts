// robot_1_0: 1:1 batch send, group send, read status, recall (§3).
import type Router from '@koa/router';
import type Koa from 'koa';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { ApiError } from '../http/errors';
import { gate, type GateState } from '../http/gate';
import { randomHex } from '../ids';
import { findUser, recordMessage, type SimApp, type SimulatorState } from '../state';
import { checkRobotMessage } from './msg-keys';

/** Checks robotCode against the calling app (robots belong to the app that owns the token). */
export function requireRobot(ctx: Koa.Context, state: SimulatorState, robotCode: unknown): SimApp {
  const app = (ctx.state as GateState).app;
  if (typeof robotCode !== 'string' || robotCode === '') {
    throw new ApiError(400, 'invalidParameter.robotCode.empty', 'robotCode 不能为空');
  }
  if (robotCode !== app.robotCode) {
    const known = [...state.apps.values()].some((a) => a.robotCode === robotCode);
    throw known
      ? new ApiError(400, 'invalidParameter.robotCode.auth', '无权使用该机器人')
      : new ApiError(400, 'invalidParameter.robotCode.notExsit', `机器人不存在: ${robotCode}`);
  }
  return app;
}

/** New processQueryKey (opaque, unique). */
export function newProcessQueryKey(): string {
  return Buffer.from(randomHex(24), 'hex').toString('base64').replace(/[+/=]/g, '');
}

/** Whether the per-user robot flow control (if on) lets one more message through to this user. */
function flowAllows(state: SimulatorState, userId: string): boolean {
  const limit = state.settings.perUserMessagesPerMinute;
  if (limit === null) return true;
  const now = state.clock.now();
  const log = (state.robotUserLog.get(userId) ?? []).filter((t) => t > now - 60_000);
  if (log.length >= limit) {
    state.robotUserLog.set(userId, log);
    return false;
  }
  log.push(now);
  state.robotUserLog.set(userId, log);
  return true;
}

/** Registers the robot routes. */
export function robotRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;
  router.post(
    '/v1.0/robot/oToMessages/batchSend',
    gate(sim, { api: 'robot.batchSend', family: 'api', auth: 'token' }),
    (ctx) => {
      const b = bodyObject(ctx);
      const app = requireRobot(ctx, state, b['robotCode']);
      const userIds = b['userIds'];
      if (!Array.isArray(userIds) || userIds.length === 0) {
        throw new ApiError(400, 'invalidParameter.userIds.empty', 'userIds 不能为空');
      }
      if (userIds.length > app.batchSendMaxUserIds) {
        throw new ApiError(400, 'invalidParameter.userIds.overMax', `userIds 数量超过上限 ${app.batchSendMaxUserIds}`);
      }
      const check = checkRobotMessage(b['msgKey'], b['msgParam'], 15_000);
      if (!check.ok) throw new ApiError(400, check.code, check.message);
      const processQueryKey = newProcessQueryKey();
      const invalidStaffIdList: string[] = [];
      const flowControlledStaffIdList: string[] = [];
      for (const raw of userIds) {
        const userId = String(raw);
        if (!findUser(state, app.appKey, userId)) {
          invalidStaffIdList.push(userId);
        } else if (!flowAllows(state, userId)) {
          flowControlledStaffIdList.push(userId);
        } else {
          recordMessage(state, {
            api: 'robot.batchSend',
            appKey: app.appKey,
            to: { userId },
            msgKey: String(b['msgKey']),
            content: check.param,
            processQueryKey,
          });
        }
      }
      ctx.body = { processQueryKey, invalidStaffIdList, flowControlledStaffIdList };
    },
  );

  router.post(
    '/v1.0/robot/groupMessages/send',
    gate(sim, { api: 'robot.groupSend', family: 'api', auth: 'token' }),
    (ctx) => {
      const b = bodyObject(ctx);
      const app = requireRobot(ctx, state, b['robotCode']);
      const cid = b['openConversationId'];
      if (typeof cid !== 'string' || cid === '') {
        throw new ApiError(400, 'invalidParameter.openConversationId.empty', 'openConversationId 不能为空');
      }
      if (!state.groups.has(cid)) throw new ApiError(400, 'invalid.openConversationId', `群会话不存在: ${cid}`);
      const check = checkRobotMessage(b['msgKey'], b['msgParam'], 15_000);
      if (!check.ok) throw new ApiError(400, check.code, check.message);
      const processQueryKey = newProcessQueryKey();
      recordMessage(state, {
        api: 'robot.groupSend',
        appKey: app.appKey,
        to: { openConversationId: cid },
        msgKey: String(b['msgKey']),
        content: check.param,
        processQueryKey,
      });
      ctx.body = { processQueryKey };
    },
  );

  router.get(
    '/v1.0/robot/oToMessages/readStatus',
    gate(sim, { api: 'robot.readStatus', family: 'api', auth: 'token' }),
    (ctx) => {
      const app = requireRobot(ctx, state, ctx.query['robotCode']);
      const key = ctx.query['processQueryKey'];
      if (typeof key !== 'string' || key === '') {
        throw new ApiError(400, 'invalidParameter.processQueryKey.empty', 'processQueryKey 不能为空');
      }
      const msgs = state.messages.filter(
        (m) => m.processQueryKey === key && m.api === 'robot.batchSend' && m.appKey === app.appKey,
      );
      if (msgs.length === 0)
        throw new ApiError(400, 'invalidParameter.processQueryKey.invalid', `processQueryKey 不存在: ${key}`);
      ctx.body = {
        sendStatus: 'SUCCESS',
        messageReadInfoList: msgs.map((m) => {
          const userId = 'userId' in m.to ? m.to.userId : '';
          return {
            name: state.users.get(userId)?.name ?? '',
            userId,
            readStatus: m.readAt !== undefined ? 'READ' : 'UNREAD',
            readTimestamp: m.readAt ?? 0,
          };
        }),
      };
    },
  );

  router.post(
    '/v1.0/robot/otoMessages/batchRecall',
    gate(sim, { api: 'robot.batchRecall', family: 'api', auth: 'token' }),
    (ctx) => {
      const b = bodyObject(ctx);
      const app = requireRobot(ctx, state, b['robotCode']);
      const keys = b['processQueryKeys'];
      if (!Array.isArray(keys) || keys.length === 0) {
        throw new ApiError(400, 'invalidParameter.processQueryKeys.empty', 'processQueryKeys 不能为空');
      }
      const successResult: string[] = [];
      const failedResult: Record<string, string> = {};
      for (const k of keys.map(String)) {
        const msgs = state.messages.filter(
          (m) => m.processQueryKey === k && m.api === 'robot.batchSend' && m.appKey === app.appKey,
        );
        if (msgs.length === 0) {
          failedResult[k] = 'processQueryKey not exist';
          continue;
        }
        for (const m of msgs) m.recalled = true;
        successResult.push(k);
      }
      if (successResult.length > 0) state.events.emit('change', { kind: 'recall' });
      ctx.body = { successResult, failedResult };
    },
  );
}
