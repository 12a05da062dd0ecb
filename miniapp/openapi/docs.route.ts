// GET /api/docs — the API documentation as a page (Chinese, readable without scripts);
// GET /api/docs/openapi.json — the OpenAPI 3.1 document it is drawn from. Both are built from the
// routes the running app serves, so they list exactly what is there (miniapp/openapi/openapi.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { publicRoute } from '../../core/authz';
import { listRoutes } from '../authz';
import { buildOpenApi } from './openapi';

type Json = Record<string, unknown>;

const VERSION = (
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;
const PLACE: Record<string, string> = { path: '路径', query: '查询', header: '请求头' };
const METHOD_COLOR: Record<string, string> = { get: '#2ea121', post: '#1456f0', put: '#b26a00', delete: '#d83931' };

function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function schemaBlock(title: string, schema: unknown): string {
  return `<details><summary>${esc(title)}</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>`;
}

function operationHtml(p: string, method: string, op: Json): string {
  const params = (op.parameters as Array<{ name: string; in: string; required: boolean }> | undefined) ?? [];
  const body = (op.requestBody as { content: Record<string, { schema: unknown; example?: unknown }> } | undefined)
    ?.content;
  const responses = Object.entries(op.responses as Record<string, { description: string }>);
  return `<section class="op" id="${esc(op.operationId)}">
<h3><span class="m" style="background:${METHOD_COLOR[method] ?? '#646a73'}">${esc(method.toUpperCase())}</span> <code>${esc(p)}</code> ${esc(op.summary)}</h3>
${op.description ? `<p class="d">${esc(op.description).replace(/\n\n/g, '<br>')}</p>` : ''}
${params.length ? `<p>参数：${params.map((x) => `<code>${esc(x.name)}</code>（${PLACE[x.in] ?? x.in}${x.required ? '，必填' : ''}）`).join('、')}</p>` : ''}
${
  body
    ? Object.entries(body)
        .map(
          ([type, c]) =>
            schemaBlock(`请求体（${type}）`, c.schema) +
            (c.example === undefined ? '' : schemaBlock('请求示例', c.example)),
        )
        .join('')
    : ''
}
<ul class="r">${responses.map(([s, r]) => `<li><b>${esc(s)}</b> ${esc(r.description)}</li>`).join('')}</ul>
</section>`;
}

function page(doc: Json): string {
  const byTag = new Map<string, string[]>();
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags as string[])[0]!;
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(p, method, op)]);
    }
  }
  const info = doc.info as { title: string; version: string; description: string };
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} · 接口文档</title>
<style>body{font:14px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:980px;margin:0 auto;padding:16px;color:#1f2329}
h2{border-bottom:1px solid #dee0e3;padding-bottom:4px;margin-top:28px}.op{border:1px solid #dee0e3;border-radius:8px;padding:8px 12px;margin:10px 0}
.op h3{font-size:0.9375rem;margin:4px 0}.m{color:#fff;border-radius:4px;padding:1px 6px;font-size:0.75rem}.d{color:#646a73;margin:4px 0}
pre{background:#f5f6f7;padding:8px;overflow:auto;font-size:0.75rem}.r{margin:4px 0;padding-left:18px;color:#646a73}code{font-size:0.8125rem}</style></head>
<body><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>${esc(info.description)}</p>
<p>机器可读的 OpenAPI 3.1 文档：<a href="/api/docs/openapi.json">/api/docs/openapi.json</a></p>
${[...byTag].map(([tag, ops]) => `<h2>${esc(tag)}</h2>\n${ops.join('\n')}`).join('\n')}
</body></html>`;
}

/** The documentation routes. */
export function docsRouter(deps: { publicBaseUrl: string }): Router {
  const router = new Router({ prefix: '/api/docs' });
  const open = publicRoute('API documentation: describes the routes, holds no data');
  const build = (app: Parameters<typeof listRoutes>[0]) =>
    buildOpenApi(listRoutes(app), { version: VERSION, serverUrl: deps.publicBaseUrl });
  router.get('/', open, (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    );
    ctx.body = page(build(ctx.app));
  });
  router.get('/openapi.json', open, (ctx) => {
    ctx.body = build(ctx.app);
  });
  return router;
}
