// POST /api/m/session — 免登 (docs/dingtalk-wire.md §8): the H5 page gets a single-use authCode from
// DingTalk (`dd.runtime.permission.requestAuthCode`), we exchange it for the userid
// (`/topapi/v2/user/getuserinfo`), find the bound person and open an 8-hour session.
// DELETE /api/m/session clears the cookie (the token itself simply expires).
import Router from '@koa/router';
import { z } from 'zod';
import { DingTalkApiError } from '../../bot/clients/errors';
import type { PrismaClient } from '../../core/db';
import { PermissionError, ServiceBusyError, ValidationError } from '../../core/errors';
import { UnauthorizedError } from '../auth/unauthorized-error';
import { apiDoc } from '../openapi/api-doc';
import { publicRoute } from '../../core/authz';
import { SESSION_COOKIE, SESSION_TTL_SECONDS, type SessionTokens } from './session-token';

/** The part of the DingTalk client this route uses. */
export interface AuthCodeResolver {
  userByAuthCode(code: string): Promise<{ userId: string; unionId?: string }>;
}

/** Dependencies of the session routes. */
export interface SessionRouteDeps {
  prisma: PrismaClient;
  dingtalk: AuthCodeResolver;
  tokens: SessionTokens;
  /** Cookies get `Secure` when the public URL is https. */
  publicBaseUrl: string;
}

const body = z.object({ authCode: z.string().trim().min(1).max(256) });

/** Attempts of getuserinfo while DingTalk answers busy (5xx, 限流, network) before telling the person. */
const AUTH_CODE_ATTEMPTS = 3;

/**
 * The code's person. A busy DingTalk (found by the soak: 「服务器内部错误」 on one 系统繁忙 answer) is
 * asked again after a short wait: the person's page is waiting, and a call that failed so did not
 * use the code (if DingTalk had used it, the next answer is 40078 and the person reopens the app).
 */
async function userByAuthCode(deps: SessionRouteDeps, code: string): Promise<{ userId: string; unionId?: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.dingtalk.userByAuthCode(code);
    } catch (err) {
      // 40078 = unknown, used or expired code; other "invalid" answers also mean the code is unusable.
      if (err instanceof DingTalkApiError && (err.dingCode === '40078' || err.kind === 'invalid')) {
        throw new UnauthorizedError('免登授权码无效或已过期，请重新打开小程序', {}, 'AUTH_CODE_INVALID');
      }
      if (!(err instanceof DingTalkApiError) || !err.retryable || err.tokenRejected) throw err;
      if (attempt >= AUTH_CODE_ATTEMPTS)
        throw new ServiceBusyError('DINGTALK_BUSY', '钉钉暂时繁忙，登录未完成，请稍后重新打开小程序', { cause: err });
      await new Promise((r) => setTimeout(r, Math.min(err.retryAfterMs ?? 250, 1000)));
    }
  }
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The session routes. */
export function sessionRouter(deps: SessionRouteDeps): Router {
  const router = new Router({ prefix: '/api/m/session' });
  const secure = deps.publicBaseUrl.startsWith('https:');

  router.post(
    '/',
    publicRoute('免登: exchanges a DingTalk authCode for a session'),
    apiDoc({
      summary: '免登：以钉钉 authCode 换取会话',
      description:
        'authCode 由钉钉 JSAPI dd.runtime.permission.requestAuthCode 取得，只能用一次；应答的 token 用作 Authorization: Bearer，同时写入会话 Cookie。',
      body,
    }),
    async (ctx) => {
      const parsed = body.safeParse(ctx.request.body ?? {});
      if (!parsed.success) throw ValidationError.fromZod(parsed.error, '登录请求');
      const { userId, unionId } = await userByAuthCode(deps, parsed.data.authCode);
      const person = await deps.prisma.person.findUnique({
        where: { dingUserId: userId },
        select: { id: true, name: true, roles: true, active: true, elderMode: true, dingUnionId: true },
      });
      if (!person || !person.active) {
        throw new PermissionError('您的钉钉账号尚未绑定雷卫人员信息，请联系管理员', 'PERSON_NOT_BOUND');
      }
      // getuserinfo also names the unionId, which DingTalk's to-dos address people by: keep it for
      // someone mapped without one (unless another person holds it).
      if (unionId && !person.dingUnionId) await rememberUnionId(deps.prisma, person.id, unionId);
      const { token, expiresAt } = deps.tokens.issue(person.id, userId);
      ctx.set('Set-Cookie', cookie(token, SESSION_TTL_SECONDS, secure));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        token,
        expiresAt: expiresAt.toISOString(),
        person: { id: person.id, name: person.name, roles: person.roles },
        settings: { elderMode: person.elderMode },
      };
    },
  );

  router.delete(
    '/',
    publicRoute('signing out only clears the cookie'),
    apiDoc({ summary: '退出登录（清除会话 Cookie）' }),
    (ctx) => {
      ctx.set('Set-Cookie', cookie('', 0, secure));
      ctx.status = 204;
    },
  );
  return router;
}

async function rememberUnionId(prisma: PrismaClient, personId: string, unionId: string): Promise<void> {
  if (await prisma.person.findUnique({ where: { dingUnionId: unionId }, select: { id: true } })) return;
  await prisma.person
    .updateMany({ where: { id: personId, dingUnionId: null }, data: { dingUnionId: unionId } })
    .catch(() => undefined); // taken by someone else meanwhile (unique): nothing to keep
}
