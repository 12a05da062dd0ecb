// A person typing to the robot (§2 robot message): recorded in the conversation and pushed
// as CALLBACK /v1.0/im/bot/messages/get with a sessionWebhook pointing back at the simulator.
import { postRobotMessage, type HttpDelivery } from '../callbacks/http-callback';
import type { SimContext } from '../context';
import { SimInputError } from '../http/errors';
import { randomHex, stableHash } from '../ids';
import { findUser, recordMessage, type SimApp, type SimulatorState } from '../state';

const SESSION_TTL_MS = 90 * 60_000;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Stable 1:1 conversation id between a user and an app's robot. */
export function singleConversationId(appKey: string, userId: string): string {
  return `cid${stableHash('single', appKey, userId).slice(0, 22)}==`;
}

/** Picks the app: the named one, else the first. */
export function pickApp(state: SimulatorState, appKey?: string): SimApp {
  const app = appKey ? state.apps.get(appKey) : state.apps.values().next().value;
  if (!app) throw new SimInputError(appKey ? `应用不存在：${appKey}` : '没有配置任何应用');
  return app;
}

/** Result of a typed message. */
export interface ChatResult {
  seq: number;
  msgId: string;
  /** Stream messageId of the CALLBACK (absent when the robot was not addressed). */
  messageId?: string;
  sessionWebhook?: string;
  /** HTTP callback mode: what the app's robot URL answered. */
  http?: HttpDelivery;
}

/** Records what the user typed and, when the robot is addressed, pushes the robot callback. */
export async function userSays(
  sim: SimContext,
  input: { userId: string; text: string; openConversationId?: string; appKey?: string; atRobot?: boolean },
): Promise<ChatResult> {
  const { state } = sim;
  const app = pickApp(state, input.appKey);
  const user = findUser(state, app.appKey, input.userId);
  if (!user) throw new SimInputError(`用户不存在：${input.userId}`);
  if (input.text.trim() === '') throw new SimInputError('消息内容不能为空');
  const group = input.openConversationId ? state.groups.get(input.openConversationId) : undefined;
  if (input.openConversationId && !group) throw new SimInputError(`群不存在：${input.openConversationId}`);
  if (group && !group.memberUserIds.includes(user.userId))
    throw new SimInputError(`${user.name} 不是群「${group.title}」的成员`);
  const target = group ? { openConversationId: group.openConversationId } : { userId: user.userId };
  const msg = recordMessage(state, {
    api: 'chat.user',
    appKey: app.appKey,
    from: user.userId,
    to: target,
    msgtype: 'text',
    content: { content: input.text },
  });
  const msgId = `msg${randomHex(12)}`;
  // In groups the robot only hears @-mentions (§2).
  if (group && input.atRobot === false) return { seq: msg.seq, msgId };

  const createAt = state.clock.now();
  const session = randomHex(16);
  state.sessions.set(session, { appKey: app.appKey, expiresAt: createAt + SESSION_TTL_MS, target });
  const sessionWebhook = `${sim.baseUrl()}/robot/sendBySession?session=${session}`;
  const chatbotUserId = `$:LWCP_v1:$${stableHash('bot', app.robotCode).slice(0, 24)}`;
  const payload: Record<string, unknown> = {
    conversationId: group ? group.openConversationId : singleConversationId(app.appKey, user.userId),
    conversationType: group ? '2' : '1',
    chatbotCorpId: app.corpId,
    chatbotUserId,
    msgId,
    senderNick: user.name,
    isAdmin: false,
    senderId: `$:LWCP_v1:$${stableHash('user', app.corpId, user.userId).slice(0, 24)}`,
    senderStaffId: user.userId,
    senderCorpId: app.corpId,
    createAt,
    sessionWebhook,
    sessionWebhookExpiredTime: createAt + SESSION_TTL_MS,
    robotCode: app.robotCode,
    isInAtList: !!group,
    msgtype: 'text',
    // Group text arrives with the @mention stripped, leaving a leading space.
    text: {
      content: group
        ? ` ${input.text.replace(new RegExp(`@${escapeRegExp(app.name)}\\s*`, 'g'), '').trim()}`
        : input.text,
    },
  };
  if (group) {
    payload['conversationTitle'] = group.title;
    payload['atUsers'] = [{ dingtalkId: chatbotUserId }];
  }
  if (app.callback?.mode === 'http') {
    return { seq: msg.seq, msgId, sessionWebhook, http: await postRobotMessage(app.callback, app, payload, createAt) };
  }
  const handle = sim.stream.push(app.appKey, 'CALLBACK', '/v1.0/im/bot/messages/get', payload);
  return { seq: msg.seq, msgId, messageId: handle.messageId, sessionWebhook };
}
