// The OpenAPI 3.1 document of the app's JSON APIs, built at run time from the routes the app
// serves (listRoutes): each route's declared policy says who may call it and how it signs in, and
// its apiDoc the summary and the zod schemas of its input, turned into JSON Schema by zod itself
// (z.toJSONSchema, draft 2020-12 as OpenAPI 3.1 uses). Nothing is written twice by hand.
import { z } from 'zod';
import { grantsOf, TOKEN_ACTIONS, type Action, type RoutePolicy } from '../../core/authz';
import { label } from '../../core/domain/labels';
import type { RouteInfo } from '../authz';
import { SESSION_COOKIE } from '../m/session-token';
import type { ApiDocSpec } from './api-doc';

type Json = Record<string, unknown>;

/** How the warning webhook is signed (miniapp/api/warnings.route.ts warningWebhookSignature). */
export const WARNING_SIGNATURE_RULE =
  '气象台预警推送签名（WARNING_WEBHOOK_SECRET）：请求头 x-leiguard-timestamp 为当前时间（毫秒数，与服务器相差不超过 5 分钟），' +
  'x-leiguard-signature 为 HMAC-SHA256(WARNING_WEBHOOK_SECRET, 时间戳 + "\\n" + 请求体 JSON) 的十六进制小写值；' +
  '计算签名的 JSON 键按字典序排列、不含空格（如 {"event":"cancel","id":"…"}），与所发请求体的内容相同即可，发送时的格式不限';

/** Paths the document covers: the mini-app and open APIs, and the admin API. */
export function isApiPath(path: string): boolean {
  return path.startsWith('/api/') && !path.startsWith('/api/docs');
}

const SCOPE = { all: '全部', self: '本人', unit: '本单位', jurisdiction: '本辖区', agency: '本机构' } as const;

/** Who may call: "单位负责人（本单位）、执法人员（本辖区）". */
function whoMay(action: Action): string {
  return Object.entries(grantsOf(action))
    .map(([role, scope]) => `${label('PersonRole', role)}（${SCOPE[scope as keyof typeof SCOPE]}）`)
    .join('、');
}

function toSchema(schema: z.ZodType): Json {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete s.$schema;
  return s;
}

function security(policy: RoutePolicy | undefined, doc: ApiDocSpec | undefined): Array<Record<string, string[]>> {
  if (doc?.auth) return [{ [doc.auth]: [] }];
  if (!policy || 'public' in policy) return [];
  if (TOKEN_ACTIONS.has(policy.action)) return [{ agencyToken: [] }];
  const roles = Object.keys(grantsOf(policy.action));
  if (roles.every((r) => r === 'ADMIN')) return [{ adminBasic: [] }];
  return [{ session: [] }, { sessionCookie: [] }];
}

const ERROR_RESPONSE = {
  description: '',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

function responses(r: RouteInfo): Json {
  const doc: ApiDocSpec | undefined = r.doc;
  const ok = doc?.produces
    ? { content: { [doc.produces]: { schema: { type: 'string', format: 'binary' } } } }
    : { content: { 'application/json': { schema: { type: 'object' } } } };
  const out: Json = { [String(doc?.status ?? 200)]: { description: '成功', ...ok } };
  const errors: Record<string, string> = { 400: '输入不合法（error.details.fields 列出每个字段的问题），未做任何更改' };
  if (r.policy && 'action' in r.policy) {
    Object.assign(errors, { 401: '未登录或登录已失效', 403: '无权执行该操作（角色或管辖范围不符）' });
    if (r.policy.resource) errors[404] = '记录不存在，或不在您的管辖范围内';
  }
  Object.assign(errors, doc?.errors ?? {}, { 429: '请求过于频繁' });
  for (const [status, description] of Object.entries(errors)) out[status] = { ...ERROR_RESPONSE, description };
  return out;
}

function operation(r: RouteInfo, now: Date): Json {
  const doc = r.doc;
  const action = r.policy && 'action' in r.policy ? r.policy.action : undefined;
  const params: Json[] = [...r.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  for (const h of doc?.headers ?? [])
    params.push({ name: h.name, in: 'header', required: true, description: h.description, schema: { type: 'string' } });
  if (doc?.query) {
    const q = toSchema(doc.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {}))
      params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
  }
  const notes = [
    doc?.description,
    action
      ? `权限：${whoMay(action)}（操作 ${action}）`
      : r.policy && 'public' in r.policy
        ? `无需登录：${r.policy.public}`
        : undefined,
  ].filter(Boolean);
  const op: Json = {
    tags: [r.path.split('/').filter((p) => p && !p.startsWith(':'))[2] ?? r.path.split('/')[1] ?? 'api'],
    summary: doc?.summary ?? `${r.method} ${r.path}`,
    ...(notes.length > 0 ? { description: notes.join('\n\n') } : {}),
    operationId: `${r.method.toLowerCase()}${r.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(action ? { 'x-leiguard-action': action } : {}),
    security: security(r.policy, doc),
    responses: responses(r),
  };
  if (doc?.body) {
    const media: Json = { schema: toSchema(doc.body) };
    if (doc.example !== undefined)
      media.example = typeof doc.example === 'function' ? (doc.example as (at: Date) => unknown)(now) : doc.example;
    op.requestBody = { required: true, content: { 'application/json': media } };
  }
  if (doc?.multipart) {
    const { field, description } = doc.multipart;
    op.requestBody = {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: [field],
            properties: { [field]: { type: 'string', format: 'binary', description } },
          },
        },
      },
    };
  }
  return op;
}

/** The document for the routes given (normally listRoutes(app)). */
export function buildOpenApi(routes: RouteInfo[], info: { version: string; serverUrl?: string }): Json {
  const paths: Record<string, Json> = {};
  // One time for the whole document: examples built from it agree with each other.
  const now = new Date();
  for (const r of routes) {
    if (!isApiPath(r.path)) continue;
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: operation(r, now) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '雷卫 LeiGuard 接口',
      version: info.version,
      description:
        '防雷安全监管小程序与开放接口。所有请求和应答为 JSON（上传除外）；出错时应答 `{ error: { code, message } }`，message 为中文。',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'http',
          scheme: 'bearer',
          description: '小程序会话令牌：POST /api/m/session 以钉钉免登 authCode 换取',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: '与会话令牌相同，由 POST /api/m/session 写入',
        },
        agencyToken: { type: 'http', scheme: 'bearer', description: '检测机构接口令牌（TEST_REPORT_API_TOKENS）' },
        warningToken: {
          type: 'http',
          scheme: 'bearer',
          description: '气象台预警接口令牌（WARNING_API_TOKEN）：请求头 Authorization: Bearer <令牌>',
        },
        warningSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'x-leiguard-signature',
          description: WARNING_SIGNATURE_RULE,
        },
        adminBasic: { type: 'http', scheme: 'basic', description: '运维管理员' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: '稳定的错误代码（程序判断用）' },
                message: { type: 'string', description: '中文说明（给人看）' },
                details: { type: 'object' },
              },
            },
          },
        },
      },
    },
  };
}
