// What comes in from DingTalk: the stream (or HTTP callbacks), card clicks and chat messages.
import type Router from '@koa/router';
import { replyBySession } from '../../bot/clients/session-reply';
import { StreamConnection } from '../../bot/clients/stream/stream-connection';
import { handleCardAction, type CardActionDeps } from '../../bot/inbound/card-actions';
import { cardCallbackRouter } from '../../bot/inbound/card-callback.route';
import { answerChat } from '../../bot/inbound/chat-commands';
import { eventCallbackRouter } from '../../bot/inbound/event-callback.route';
import { orgEventHandler } from '../../bot/inbound/org-events';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { queueClick } from '../../workflows/approval/click.job';
import type { WorkflowDeps } from '../../workflows/deps';
import { buildCardActionDeps } from './card-action-deps';
import type { Connections } from './connections';
import { warmUpCallbacks } from './warm-up';

/** The inbound side of an api process. */
export interface Inbound {
  stream: StreamConnection;
  /** HTTP callback routers (card callbacks with a secret; events and robot messages in http mode). */
  routers: Router[];
  /** Whether DingTalk can reach us: the stream's socket, or always in HTTP callback mode. */
  status(): { connected: boolean; lastFrameAt?: number };
}

/** Builds the handlers of card clicks and chat messages and starts the stream (or its HTTP stand-in). */
export async function startInbound(deps: WorkflowDeps, conns: Connections) {
  const { config, logger, prisma, queues } = deps;
  const { redis, keyPrefix } = conns;
  const stream = new StreamConnection({
    config: config.dingtalk,
    redis,
    keyPrefix,
    logger: logger.child({ component: 'stream' }),
  });
  const cardDeps: CardActionDeps = {
    ...buildCardActionDeps(deps),
    queueClick: (clickId) => queueClick(queues, clickId),
  };
  await warmUpCallbacks(prisma, (raw) => handleCardAction(cardDeps, raw));
  stream.onCardCallback(async (cb, ctx) => {
    deps.callbackLoad?.hit();
    return handleCardAction(cardDeps, cb.raw, ctx.limited);
  });
  stream.onEvent(orgEventHandler({ prisma, logger }));
  stream.onRobotMessage(async (msg) => {
    const text = msg.msgtype === 'text' ? (msg.text?.content ?? '') : '';
    const answer = await answerChat(cardDeps, msg.senderStaffId, text || '帮助');
    if (!msg.sessionWebhook) return;
    await replyBySession(config.dingtalk.oapiBase, msg.sessionWebhook, {
      msgtype: 'markdown',
      markdown: answer,
    }).catch((err) => logger.warn({ err, msgId: msg.msgId }, '回复聊天消息失败'));
  });
  const routers: Router[] = [];
  if (config.dingtalk.cardCallbackSecret) {
    routers.push(
      cardCallbackRouter({ ...cardDeps, secret: config.dingtalk.cardCallbackSecret, callbackLoad: deps.callbackLoad }),
    );
  }
  const httpInbound = config.dingtalk.inboundMode === 'http';
  if (httpInbound) routers.push(httpCallbacks(config, logger, conns, stream));
  else await stream.start();
  return {
    stream,
    routers,
    status: () => {
      // HTTP callback mode has no socket to watch.
      if (httpInbound) return { connected: true };
      const st = stream.status();
      return { connected: st.connected, lastFrameAt: st.lastFrameAt ?? undefined };
    },
  } satisfies Inbound;
}

/**
 * No outbound WebSocket: DingTalk POSTs events and robot messages, which go through the stream's
 * own dispatcher (same handlers, same de-duplication).
 */
function httpCallbacks(config: Config, logger: Logger, conns: Connections, stream: StreamConnection): Router {
  const { dingtalk } = config;
  const keys =
    dingtalk.callbackToken && dingtalk.callbackAesKey
      ? {
          token: dingtalk.callbackToken,
          aesKey: dingtalk.callbackAesKey,
          ownerKey: dingtalk.callbackOwnerKey ?? dingtalk.appKey!,
        }
      : undefined;
  if (!keys)
    logger.warn(
      'DINGTALK_INBOUND_MODE=http without DINGTALK_CALLBACK_TOKEN/DINGTALK_CALLBACK_AES_KEY: ' +
        'event callbacks are not served',
    );
  return eventCallbackRouter({
    keys,
    robotSecret: dingtalk.appSecret,
    maxSkewMs: dingtalk.callbackMaxSkewS * 1000,
    redis: conns.redis,
    keyPrefix: conns.keyPrefix,
    dispatch: (frame) => stream.dispatchFrame(frame),
    logger: logger.child({ component: 'callback' }),
  });
}
