// HTTP callback mode (docs/dingtalk-wire.md §9), for sites where no outbound WebSocket is allowed:
//   POST /dingtalk/events?signature=&timestamp=&nonce=  {"encrypt": "..."}  — event subscriptions,
//     signed (sha1) and AES-encrypted; answered with the encrypted, signed "success".
//   POST /dingtalk/robot  (headers timestamp, sign)  — messages people send to the robot.
// A verified callback becomes the same frame the stream would have carried and goes through the
// stream's dispatcher (StreamConnection.dispatchFrame): same handlers, same de-duplication.
// Refused before anything runs: unsigned, badly signed, stale (CALLBACK_MAX_SKEW), a nonce seen
// before (Redis, shared by every API process), or unreadable ciphertext.
import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Redis } from 'ioredis';
import type { Context } from 'koa';
import { publicRoute } from '../../core/authz';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { webhookSignature } from '../clients/webhook-robot';
import { TOPIC_ROBOT_MESSAGE, type AckFrame, type DownstreamFrame } from '../clients/stream/types';
import { CallbackAuthError } from './card-callback.route';
import {
  callbackSignature,
  CallbackDecryptError,
  decryptCallback,
  signatureMatches,
  successReply,
  type CallbackKeys,
} from './callback-crypto';

/** What the callback routes need. */
export interface EventCallbackDeps {
  /** Event subscription keys; without them /dingtalk/events is not served. */
  keys?: CallbackKeys;
  /** AppSecret signing robot callbacks; without it /dingtalk/robot is not served. */
  robotSecret?: string;
  /** How far a callback's timestamp may be from now. */
  maxSkewMs: number;
  redis: Redis;
  keyPrefix: string;
  /** The stream's dispatcher (StreamConnection.dispatchFrame). */
  dispatch(frame: DownstreamFrame): Promise<AckFrame>;
  logger: Logger;
  now?: () => number;
}

/** A callback body that cannot be read. */
export class CallbackUnreadableError extends AppError {
  constructor() {
    super('CALLBACK_UNREADABLE', '回调内容无法解密或格式错误，已拒绝', { status: 400 });
  }
}

const NONCE = /^[A-Za-z0-9_-]{1,64}$/;
const TIMESTAMP = /^\d{10,13}$/;
const SIGNATURE = /^[0-9a-f]{40}$/;

function one(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Throws unless the timestamp (seconds or milliseconds) is within maxSkewMs of now. */
function checkFresh(timestamp: string | undefined, maxSkewMs: number, now: number): void {
  if (!timestamp || !TIMESTAMP.test(timestamp))
    throw new CallbackAuthError('CALLBACK_EXPIRED', '回调时间戳无效或已过期，已拒绝');
  const ms = timestamp.length <= 10 ? Number(timestamp) * 1000 : Number(timestamp);
  if (Math.abs(now - ms) > maxSkewMs) throw new CallbackAuthError('CALLBACK_EXPIRED', '回调时间戳无效或已过期，已拒绝');
}

function sha1(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

/** The HTTP callback routes. */
export function eventCallbackRouter(deps: EventCallbackDeps): Router {
  const router = new Router();
  const now = deps.now ?? Date.now;

  /** Claims a nonce (SET NX); false when it was seen within the freshness window. */
  const claimNonce = async (nonce: string, timestamp: string): Promise<boolean> => {
    const key = `${deps.keyPrefix}callback:nonce:${sha1(`${timestamp}:${nonce}`)}`;
    return (await deps.redis.set(key, '1', 'PX', deps.maxSkewMs * 2, 'NX')) === 'OK';
  };

  if (deps.keys) {
    const keys = deps.keys;
    router.post(
      '/dingtalk/events',
      publicRoute('DingTalk event callback, signed and AES-encrypted'),
      async (ctx: Context) => {
        const q = ctx.query;
        const signature = one(q.msg_signature) ?? one(q.signature);
        const timestamp = one(q.timeStamp) ?? one(q.timestamp);
        const nonce = one(q.nonce);
        const body = ctx.request.body as { encrypt?: unknown } | undefined;
        const encrypt = body && typeof body === 'object' && typeof body.encrypt === 'string' ? body.encrypt : undefined;
        if (!signature || !nonce || !encrypt || !SIGNATURE.test(signature) || !NONCE.test(nonce)) {
          throw new CallbackAuthError('CALLBACK_UNSIGNED', '回调缺少签名，已拒绝');
        }
        checkFresh(timestamp, deps.maxSkewMs, now());
        if (!signatureMatches(callbackSignature(keys.token, timestamp!, nonce, encrypt), signature)) {
          throw new CallbackAuthError('CALLBACK_SIGNATURE_INVALID', '回调签名无效，已拒绝');
        }
        let event: Record<string, unknown>;
        try {
          const parsed: unknown = JSON.parse(decryptCallback(keys, encrypt));
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
            throw new CallbackDecryptError('not an object');
          event = parsed as Record<string, unknown>;
        } catch (err) {
          deps.logger.warn({ err }, 'callback: unreadable event');
          throw new CallbackUnreadableError();
        }
        if (!(await claimNonce(nonce, timestamp!)))
          throw new CallbackAuthError('CALLBACK_REPLAYED', '回调已处理过（重放），已拒绝');
        const eventType = typeof event.EventType === 'string' ? event.EventType : '';
        if (eventType !== 'check_url') {
          const { EventType: _t, CorpId, TimeStamp, EventId, ...data } = event;
          const eventId = typeof EventId === 'string' ? EventId : sha1(`${eventType}:${timestamp}:${nonce}`);
          const ack = await deps.dispatch({
            type: 'EVENT',
            headers: {
              topic: '*',
              messageId: `http-${eventId}`,
              eventType,
              eventId,
              eventCorpId: typeof CorpId === 'string' ? CorpId : undefined,
              eventBornTime:
                typeof TimeStamp === 'string' || typeof TimeStamp === 'number' ? String(TimeStamp) : undefined,
            },
            data: JSON.stringify(data),
          });
          if (ack.code >= 500) throw new Error(`event dispatch failed: ${ack.message}`);
        }
        ctx.body = successReply(keys, timestamp!, nonce);
      },
    );
  }

  if (deps.robotSecret) {
    const secret = deps.robotSecret;
    router.post(
      '/dingtalk/robot',
      publicRoute('DingTalk robot callback, signed with the AppSecret'),
      async (ctx: Context) => {
        const timestamp = ctx.get('timestamp');
        const sign = ctx.get('sign');
        if (!timestamp || !sign) throw new CallbackAuthError('CALLBACK_UNSIGNED', '回调缺少签名，已拒绝');
        checkFresh(timestamp, deps.maxSkewMs, now());
        if (!signatureMatches(webhookSignature(secret, timestamp), sign)) {
          throw new CallbackAuthError('CALLBACK_SIGNATURE_INVALID', '回调签名无效，已拒绝');
        }
        const msg = ctx.request.body as Record<string, unknown> | undefined;
        const msgId =
          msg && typeof msg === 'object' && typeof msg.msgId === 'string' && msg.msgId.length <= 128
            ? msg.msgId
            : undefined;
        if (!msgId) throw new CallbackUnreadableError();
        // Same message twice (DingTalk retries) → the dispatcher's de-duplication answers it once.
        const ack = await deps.dispatch({
          type: 'CALLBACK',
          headers: { topic: TOPIC_ROBOT_MESSAGE, messageId: `http-${msgId}` },
          data: JSON.stringify(msg),
        });
        if (ack.code >= 500) throw new Error(`robot dispatch failed: ${ack.message}`);
        ctx.body = {};
      },
    );
  }
  return router;
}
