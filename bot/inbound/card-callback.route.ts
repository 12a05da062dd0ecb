// Card callbacks in HTTP mode (cards registered with callbackType HTTP): DingTalk POSTs the same
// JSON as the stream's CALLBACK data, signed with the callback's apiSecret:
//   x-ddpaas-signature-timestamp: <ms>, x-ddpaas-signature: base64(HmacSHA256(apiSecret, timestamp))
// An unsigned, badly signed or stale callback is refused (401) and changes nothing. The request
// buttons of 普通版 cards (StandardCard) call back here too; such a card is then updated through
// the API (standard-clicks.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { AppError } from '../../core/errors';
import { publicRoute } from '../../core/authz';
import { handleCardAction, type CardActionDeps } from './card-actions';
import { updateAfterStandardClick } from './standard-clicks';

/** How far a callback's timestamp may be from now (DingTalk's own rule for signed callbacks: 1 h). */
export const CALLBACK_MAX_SKEW_MS = 3600_000;

/** A refused callback: stable code, Chinese message. */
export class CallbackAuthError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, { status: 401 });
  }
}

/** The signature DingTalk sends for a timestamp. */
export function cardCallbackSignature(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(timestamp, 'utf8').digest('base64');
}

/** Throws CallbackAuthError unless the headers carry a valid, fresh signature. */
export function verifyCardCallback(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  now = Date.now(),
): void {
  if (!timestamp || !signature) throw new CallbackAuthError('CALLBACK_UNSIGNED', '回调缺少签名，已拒绝');
  const ts = Number(timestamp);
  if (!/^\d{10,16}$/.test(timestamp) || Math.abs(now - ts) > CALLBACK_MAX_SKEW_MS) {
    throw new CallbackAuthError('CALLBACK_EXPIRED', '回调时间戳无效或已过期，已拒绝');
  }
  const expected = Buffer.from(cardCallbackSignature(secret, timestamp));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new CallbackAuthError('CALLBACK_SIGNATURE_INVALID', '回调签名无效，已拒绝');
  }
}

/** POST /dingtalk/card-callback */
export function cardCallbackRouter(deps: CardActionDeps & { secret: string; callbackLoad?: { hit(): void } }): Router {
  const router = new Router();
  router.post(
    '/dingtalk/card-callback',
    publicRoute('DingTalk card callback, authenticated by its HMAC signature'),
    async (ctx) => {
      verifyCardCallback(
        deps.secret,
        ctx.get('x-ddpaas-signature-timestamp') || undefined,
        ctx.get('x-ddpaas-signature') || undefined,
      );
      deps.callbackLoad?.hit();
      const res = await handleCardAction(deps, ctx.request.body);
      const outTrackId = (ctx.request.body as { outTrackId?: unknown } | undefined)?.outTrackId;
      if (typeof outTrackId === 'string') await updateAfterStandardClick(deps, outTrackId, res);
      ctx.body = res;
    },
  );
  return router;
}
