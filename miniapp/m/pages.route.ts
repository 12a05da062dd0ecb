// The mini-app's H5 pages: one HTML shell, plain scripts and one stylesheet from miniapp/m/h5 (no
// build step and nothing loaded from the internet). Card links point here (core/hazard/notice-data.ts
// hazardLinks). Pages are static; the data comes from /api/m/* after sign-in.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { publicRoute } from '../../core/authz';
import { vendorAsset, vendorVersion } from './vendor-assets';

const DIR = path.join(__dirname, 'h5');

// The authCode travels in the URL: never send it onwards in a Referer; scripts only from here.
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'",
};

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What differs between pages; all texts are fixed strings of ours. */
interface PageSpec {
  /** <body data-page>, read by the scripts. */
  page: string;
  title: string;
  heading: string;
  back?: [href: string, text: string];
  /** Scripts after dingtalk-jsapi, m.js and m-forms.js, from /m/assets/. */
  scripts?: string[];
  /** Style sheets after m.css, from /m/assets/. */
  styles?: string[];
}

/** Every page has the same shell: bar, main, dingtalk-jsapi, m.js, m-forms.js, then its own scripts. */
function shell(p: PageSpec, corpId: string, version: (asset: string) => string): string {
  const back = p.back
    ? `<a class="back" href="${p.back[0]}"><span aria-hidden="true">‹</span>返回${p.back[1]}</a>`
    : '';
  const scripts = ['vendor/dingtalk-jsapi.js', 'm.js', 'm-forms.js', ...(p.scripts ?? [])]
    .map((s) => `<script src="/m/assets/${s}?v=${version(s)}"></script>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="leiguard-corp-id" content="${corpId}">
<title>雷卫 · ${p.title}</title>
<link rel="stylesheet" href="/m/assets/m.css?v=${version('m.css')}">${(p.styles ?? [])
    .map((s) => `\n<link rel="stylesheet" href="/m/assets/${s}?v=${version(s)}">`)
    .join('')}
</head>
<body data-page="${p.page}">
<header class="bar">${back}<h1>${p.heading}</h1><span id="who" class="who"></span></header>
<main id="main" aria-live="polite"><p class="muted">正在登录…</p></main>
${scripts}
</body>
</html>
`;
}

/** The H5 page routes; `corpId` is what the page passes to requestAuthCode. */
export function pagesRouter(deps: { corpId?: string }): Router {
  const read = (name: string) => readFileSync(path.join(DIR, name), 'utf8');
  const corpId = escapeAttr(deps.corpId ?? '');
  const js = 'application/javascript; charset=utf-8';
  const assets: Record<string, { type: string; body: string; version: string }> = {};
  for (const name of [
    'm.js',
    'm-forms.js',
    'm.css',
    'list.js',
    'tasks.js',
    'hazard.js',
    'inspection.js',
    'sign.js',
    'dashboard.js',
    'dashboard-charts.js',
    'approval.js',
    // Approval operations, my approvals with batch decisions, 委托 (issue #21).
    'approval-ops.js',
    'approvals.js',
    'delegations.js',
    'report.js',
    'ranking.js',
    'interview.js',
    'hazard-new.js',
    'warning.js',
    // The pages behind the buttons of cards that need no template (#19).
    'card-action.js',
    // Field work (issue #22).
    'field-plans.js',
    'field-scan.js',
    'field-unit.js',
    'field.css',
  ]) {
    const body = read(name);
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
    assets[name] = { type: name.endsWith('.css') ? 'text/css; charset=utf-8' : js, body, version };
  }
  // Every asset URL carries its version, so phones keep them until a release changes them.
  const version = (asset: string): string =>
    asset.startsWith('vendor/') ? (vendorVersion(asset.slice('vendor/'.length)) ?? '0') : assets[asset]!.version;
  const page = (spec: PageSpec) => shell(spec, corpId, version);
  const fieldPage = (name: string, title: string, script: string, back: [string, string] = ['/m/tasks', '待办']) =>
    page({ page: name, title, heading: title, back, scripts: [script], styles: ['field.css'] });
  // Built once at start-up: the files are part of the release.
  const pages = {
    list: page({
      page: 'list',
      title: '我的隐患',
      heading: '我的隐患',
      back: ['/m/tasks', '待办'],
      scripts: ['list.js'],
    }),
    hazard: page({
      page: 'hazard',
      title: '隐患详情',
      heading: '隐患详情',
      back: ['/m/', '我的隐患'],
      scripts: ['hazard.js'],
    }),
    fileHazard: page({
      page: 'hazard-new',
      title: '登记隐患',
      heading: '登记隐患',
      back: ['/m/tasks', '待办'],
      scripts: ['hazard-new.js'],
    }),
    tasks: page({ page: 'tasks', title: '我的待办', heading: '我的待办', scripts: ['tasks.js'] }),
    // Testers and regulators are scanned in on site first (field-scan.js, issue #22).
    code: page({
      page: 'code',
      title: '码上检查',
      heading: '码上检查',
      back: ['/m/tasks', '待办'],
      scripts: ['field-scan.js', 'inspection.js'],
      styles: ['field.css'],
    }),
    inspection: page({
      page: 'inspection',
      title: '检查表',
      heading: '防雷安全检查',
      back: ['/m/tasks', '待办'],
      scripts: ['inspection.js'],
      styles: ['field.css'],
    }),
    // Field work (issue #22): testing plans, one plan, the unit's page, draws.
    testPlans: fieldPage('test-plans', '检测计划', 'field-plans.js'),
    testPlan: fieldPage('test-plan', '检测计划详情', 'field-plans.js', ['/m/test-plans', '检测计划']),
    unit: fieldPage('unit', '单位检测与检查', 'field-unit.js'),
    draw: fieldPage('draw', '双随机抽查', 'field-unit.js'),
    sign: page({
      page: 'sign',
      title: '监管码',
      heading: '监管数字码',
      back: ['/m/tasks', '待办'],
      scripts: ['sign.js'],
    }),
    approval: page({
      page: 'approval',
      title: '审批详情',
      heading: '审批详情',
      back: ['/m/approvals', '我的审批'],
      scripts: ['approval-ops.js', 'approval.js'],
    }),
    // Issue #21: my approvals with batch decisions, and 委托 while away.
    approvals: page({
      page: 'approvals',
      title: '我的审批',
      heading: '我的审批',
      back: ['/m/tasks', '待办'],
      scripts: ['approvals.js'],
    }),
    delegations: page({
      page: 'delegations',
      title: '委托审批',
      heading: '委托审批',
      back: ['/m/approvals', '我的审批'],
      scripts: ['delegations.js'],
    }),
    report: page({
      page: 'report',
      title: '检测报告',
      heading: '检测报告核查',
      back: ['/m/tasks', '待办'],
      scripts: ['report.js'],
    }),
    ranking: page({
      page: 'ranking',
      title: '主体责任排名',
      heading: '主体责任排名',
      back: ['/m/tasks', '待办'],
      scripts: ['ranking.js'],
    }),
    interview: page({
      page: 'interview',
      title: '约谈',
      heading: '防雷安全约谈',
      back: ['/m/tasks', '待办'],
      scripts: ['interview.js'],
    }),
    // Lightning warnings (issue #20): the one-tap 「收到」 page and the 叫应记录.
    warning: page({ page: 'warning', title: '雷电预警', heading: '雷电预警', scripts: ['warning.js'] }),
    cardAction: page({
      page: 'card-action',
      title: '卡片操作',
      heading: '卡片操作',
      scripts: ['card-action.js'],
      back: ['/m/tasks', '待办'],
    }),
    warningRecord: page({
      page: 'warning-record',
      title: '叫应记录',
      heading: '预警叫应记录',
      back: ['/m/tasks', '待办'],
      scripts: ['warning.js'],
    }),
    dashboard: page({
      page: 'dashboard',
      title: '领导看板',
      heading: '防雷安全看板',
      back: ['/m/tasks', '待办'],
      scripts: ['vendor/echarts.js', 'dashboard-charts.js', 'dashboard.js'],
    }),
  };
  const html = (body: string) => (ctx: Context) => {
    ctx.set(PAGE_HEADERS);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = body;
  };

  const router = new Router();
  const open = publicRoute('static H5 pages; their data comes from the guarded /api/m/*');
  const list = html(pages.list);
  // '/m' also matches '/m/' in this router (trailing slash optional): tell them apart by path.
  router.get(['/m/', '/m'], open, (ctx) => (ctx.path === '/m/' ? list(ctx) : ctx.redirect('/m/')));
  // The alert card's 「提交整改」 and 「申请延期」 open the same page at the form (core/hazard/notice-data.ts).
  // Before /m/hazards/:id, which would take 'new' for an id.
  router.get('/m/hazards/new', open, html(pages.fileHazard));
  router.get(['/m/hazards/:id', '/m/hazards/:id/rectify', '/m/hazards/:id/extension'], open, html(pages.hazard));
  router.get('/m/tasks', open, html(pages.tasks));
  router.get('/m/code', open, html(pages.code));
  router.get('/m/inspections/:id', open, html(pages.inspection));
  router.get('/m/units/:id/sign', open, html(pages.sign));
  router.get('/m/units/:id', open, html(pages.unit));
  router.get('/m/test-plans', open, html(pages.testPlans));
  router.get('/m/test-plans/:id', open, html(pages.testPlan));
  router.get('/m/draws/new', open, html(pages.draw));
  router.get('/m/dashboard', open, html(pages.dashboard));
  router.get('/m/approvals', open, html(pages.approvals));
  router.get('/m/approvals/:id', open, html(pages.approval));
  router.get('/m/delegations', open, html(pages.delegations));
  router.get('/m/reports/:id', open, html(pages.report));
  router.get('/m/ranking/:period', open, html(pages.ranking));
  router.get('/m/ranking/:period/units/:id', open, html(pages.ranking));
  router.get('/m/interviews/:id', open, html(pages.interview));
  router.get('/m/warnings/:id', open, html(pages.warning));
  router.get('/m/cards/:outTrackId/:action', open, html(pages.cardAction));
  router.get('/m/warnings/:id/record', open, html(pages.warningRecord));
  // A request for the current version may be kept for a year (the URL changes with the file);
  // any other is revalidated.
  const caching = (current: string | undefined, asked: unknown) =>
    current !== undefined && asked === current ? 'public, max-age=31536000, immutable' : 'no-cache';
  router.get('/m/assets/vendor/:name', open, (ctx) => {
    const name = ctx.params.name ?? '';
    const body = vendorAsset(name);
    if (body === undefined) return;
    ctx.set({ 'Cache-Control': caching(vendorVersion(name), ctx.query['v']), 'X-Content-Type-Options': 'nosniff' });
    ctx.type = js;
    ctx.body = body;
  });
  router.get('/m/assets/:name', open, (ctx) => {
    const a = assets[ctx.params.name ?? ''];
    if (!a) return;
    ctx.set({ 'Cache-Control': caching(a.version, ctx.query['v']), 'X-Content-Type-Options': 'nosniff' });
    ctx.type = a.type;
    ctx.body = a.body;
  });
  return router;
}
