// Every mini-app page as each of its people opens it (issue #23, /UX rules in the README): axe-core
// (WCAG 2.1 A/AA) at 390×844 with no critical or serious violation; the same page with the phone's
// text size doubled (the browser's default font size, which rem units follow) has no horizontal
// scroll; every control is at least 44×44 px. Screenshots of every page, normal and in 长辈模式, go
// to test-output/accessibility/, with the table of findings (axe.txt). One browser, one tab per
// person (the session lives in the tab), pages opened one after the other. The pages are those of
// miniapp/m/pages.route.ts; the last test checks that each of its page routes is opened here.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { listRoutes } from '../../miniapp/authz';
import { assertChromium, launchChromium } from '../helpers/browser';
import { testOutputDir } from '../helpers/output';
import { startTestRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { signIn } from '../helpers/session';
import { createUxWorld, type UxWorld } from '../helpers/ux-world';

type Role = 'manager' | 'legalRep' | 'regulator' | 'leader' | 'agency';
const ROLES: Role[] = ['manager', 'legalRep', 'regulator', 'leader', 'agency'];
interface Finding {
  role: Role;
  page: string;
  violations: string[];
  zoomOverflow: number;
  smallTargets: string[];
  /** Parts a page means to hide (class hidden) that show anyway. */
  shownHidden: string[];
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG21 = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** A phone as the people hold it: 390×844, Chinese, Beijing time. */
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

let t: TestRuntime;
let w: UxWorld;
let browser: Browser;
/** The unit's supervision code URL as printed on its sign (path and query), for the on-site scan page. */
let codePath: string;
/** The page behind the 「已知悉」 button of the manager's hazard card (a card that needs no template). */
let cardActionPath: string;
const out = testOutputDir('accessibility');
/** Every page path opened, for the coverage check against the page routes. */
const opened = new Set<string>();

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime({ httpPort: true, env: { RATE_LIMIT_API_PER_MIN: '100000' } });
  w = await createUxWorld(t, `ax${Date.now().toString(36)}`);
  const code = await request(t.runtime.httpUrl!)
    .get(`/api/m/units/${w.unitId}/code`)
    .set('Authorization', await signIn(t, w.people.regulator.userId))
    .expect(200);
  const url = new URL(code.body.url as string);
  codePath = `${url.pathname}${url.search}`;
  // A hazard filed as a regulator files it: the manager's card, whose buttons open /m/cards/….
  await request(t.runtime.httpUrl!)
    .post('/api/m/hazards')
    .set('Authorization', await signIn(t, w.people.regulator.userId))
    .send({
      unitId: w.unitId,
      type: 'BONDING',
      grade: 'MAJOR',
      description: '储罐区等电位连接线锈断',
      deadlineWorkingDays: 5,
    })
    .expect(201);
  const card = await waitFor(
    () =>
      t.db.prisma.cardInstance.findFirst({
        where: { kind: 'hazard-alert', recipientPersonId: w.people.manager.id, live: true },
      }),
    20_000,
    "the manager's hazard card",
  );
  cardActionPath = `/m/cards/${encodeURIComponent(card.outTrackId)}/ack`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The pages each person opens: [file name, path]. */
function pagesOf(role: Role): Array<[string, string]> {
  const h = w.hazards;
  const common: Array<[string, string]> = [
    ['tasks', '/m/tasks'],
    ['hazards', '/m/'],
    ['hazard-escalated', `/m/hazards/${h.escalated}`],
  ];
  switch (role) {
    case 'manager':
      return [
        ...common,
        ['hazards-closed', '/m/?state=closed'],
        ['hazard-rectify', `/m/hazards/${h.pending}/rectify`],
        ['hazard-extension', `/m/hazards/${h.pending}/extension`],
        ['hazard-closed', `/m/hazards/${h.closed}`],
        ['approval-rejected', `/m/approvals/${w.approvals.rejected}`],
        ['approvals', '/m/approvals'],
        ['inspection', `/m/inspections/${w.inspectionId}`],
        ['sign', `/m/units/${w.unitId}/sign`],
        ['unit', `/m/units/${w.unitId}`],
        ['test-plan', `/m/test-plans/${w.plans.onSite}`],
        ['ranking-unit', `/m/ranking/${w.period}/units/${w.unitId}`],
        ['interview', `/m/interviews/${w.interviewId}`],
        ['warning', `/m/warnings/${encodeURIComponent(w.warningId)}?from=FIRST_LINE.WORK_NOTICE`],
        ['card-action', cardActionPath],
      ];
    case 'legalRep':
      return [...common, ['unit', `/m/units/${w.unitId}`], ['interview', `/m/interviews/${w.interviewId}`]];
    case 'regulator':
      return [
        ...common,
        ['hazard-new', '/m/hazards/new'],
        ['hazard-verify', `/m/hazards/${h.submitted}`],
        ['approval-decide', `/m/approvals/${w.approvals.active}`],
        ['approvals', '/m/approvals'],
        ['delegations', '/m/delegations'],
        ['report', `/m/reports/${w.reportId}`],
        ['dashboard', '/m/dashboard'],
        ['ranking', `/m/ranking/${w.period}`],
        ['interview', `/m/interviews/${w.interviewId}`],
        ['inspection', `/m/inspections/${w.inspectionId}`],
        ['code-scan', codePath],
        ['unit', `/m/units/${w.unitId}`],
        ['test-plan', `/m/test-plans/${w.plans.planned}`],
        ['draw', '/m/draws/new'],
        ['warning-record', `/m/warnings/${encodeURIComponent(w.warningId)}/record`],
      ];
    case 'leader':
      return [
        ...common,
        ['delegations', '/m/delegations'],
        ['dashboard', '/m/dashboard'],
        ['ranking', `/m/ranking/${w.period}`],
        ['report', `/m/reports/${w.reportId}`],
        ['unit', `/m/units/${w.unitId}`],
      ];
    case 'agency':
      // A testing agency's staff: their to-dos (open plans), the plans, one plan, the scan on site.
      return [
        ['tasks', '/m/tasks'],
        ['test-plans', '/m/test-plans'],
        ['test-plan', `/m/test-plans/${w.plans.planned}`],
        ['test-plan-on-site', `/m/test-plans/${w.plans.onSite}`],
        ['code-scan', codePath],
      ];
  }
}

/** A signed-in tab for the person (免登 with a fresh authCode, as the simulator opens it). */
async function tabOf(role: Role): Promise<{ ctx: BrowserContext; page: Page }> {
  // The pages' CSP allows scripts from the server only; axe is injected by the test.
  const ctx = await browser.newContext({ ...PHONE, bypassCSP: true });
  const page = await ctx.newPage();
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.people[role].userId });
  await page.goto(`${t.runtime.httpUrl}/m/tasks?authCode=${encodeURIComponent(code)}`);
  await settled(page);
  return { ctx, page };
}

/** Waits for the page to have signed in and drawn its data. */
async function settled(page: Page): Promise<void> {
  await page.locator('#who').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('#main > p.muted:only-child'));
}

async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async (tags) => {
    const r = await (
      window as unknown as {
        axe: {
          run(
            c: Document,
            o: object,
          ): Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.impact} ${v.id} ×${v.nodes.length} (${v.nodes[0]?.target.join(' ')})`);
  }, WCAG21);
  return violations;
}

/** Controls smaller than 44×44 px (WCAG 2.5.5 target size): buttons, links, fields, pickers. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const sel =
      'a[href], button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea, label.choice, label.check, [role=switch]';
    document.querySelectorAll<HTMLElement>(sel).forEach((n) => {
      const r = n.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1) return; // not shown, or visually hidden behind its label
      if (getComputedStyle(n).display === 'inline' && n.closest('p, dd, li')) return; // a link in running text
      if (r.height < 43.5 || r.width < 43.5)
        bad.push(
          `${n.tagName.toLowerCase()}.${n.className || ''}「${(n.textContent || '').trim().slice(0, 12)}」${Math.round(r.width)}×${Math.round(r.height)}`,
        );
    });
    return bad;
  });
}

/**
 * Doubles the browser's default font size (what the phone's text-size setting changes) and returns
 * how far the page then scrolls sideways; fails when the text does not follow (px sizes).
 */
async function zoomOverflow(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
  await page.waitForTimeout(50);
  const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(body).toBeGreaterThanOrEqual(32);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (over > 0 && process.env.UX_DEBUG)
    console.log(
      await page.evaluate(() => {
        const wide = Array.from(document.querySelectorAll<HTMLElement>('main *')).find(
          (n) => n.getBoundingClientRect().right > window.innerWidth + 1,
        );
        const chain: string[] = [];
        for (let n: HTMLElement | null = wide ?? null; n; n = n.parentElement)
          chain.push(`${n.tagName}.${n.className} w=${Math.round(n.getBoundingClientRect().width)}`);
        return chain.join(' < ');
      }),
    );
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });
  await cdp.detach();
  return over;
}

/** Checks one page as it is now: axe, small targets, a screenshot, the doubled text. */
async function check(page: Page, role: Role, name: string, shot: string): Promise<Finding> {
  const violations = await axe(page);
  const small = await smallTargets(page);
  const shownHidden = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.hidden'))
      .filter((n) => n.getClientRects().length > 0)
      .map((n) => `shown though hidden: ${n.tagName.toLowerCase()}「${(n.textContent || '').trim().slice(0, 16)}」`),
  );
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, `${shot}.png`), fullPage: true });
  const overflow = await zoomOverflow(page);
  return { role, page: name, violations, zoomOverflow: overflow, smallTargets: small, shownHidden };
}

test('every page as each role, normal and in 长辈模式: no serious axe violation, no sideways scroll at doubled text, targets ≥ 44 px', async () => {
  const findings: Finding[] = [];
  for (const role of ROLES) {
    const { ctx, page } = await tabOf(role);
    for (const elder of [false, true]) {
      if (elder) {
        // One switch, remembered on the person's record.
        await page.locator('#elder-switch').click();
        await page.locator('html.elder').waitFor({ state: 'attached' });
        await waitFor(
          async () =>
            (await t.db.prisma.person.findUnique({ where: { id: w.people[role].id } }))?.elderMode || undefined,
          10_000,
          'elder mode saved',
        );
      }
      for (const [name, url] of pagesOf(role)) {
        await page.goto(`${t.runtime.httpUrl}${url}`);
        await settled(page);
        opened.add(new URL(page.url()).pathname);
        // Each page shows what it is for, never the sign-in or load failure notice.
        expect(await page.locator('main > .notice h2').allTextContents()).not.toContainEqual(
          expect.stringMatching(/无法|加载失败|未找到/),
        );
        expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(elder);
        // Only links the person may follow: an agency's staff do not open the units' pages.
        if (role === 'agency') expect(await page.locator('main a[href^="/m/units/"]').count()).toBe(0);
        const label = elder ? `${name} 长辈模式` : name;
        findings.push(await check(page, role, label, `${role}-${name}${elder ? '-elder' : ''}`));
      }
    }
    await ctx.close();
  }
  const table = findings
    .map(
      (f) =>
        `${f.role.padEnd(9)} ${f.page.padEnd(24)} axe ${f.violations.length}  200% overflow ${f.zoomOverflow} px  small ${f.smallTargets.length}` +
        [...f.violations, ...f.smallTargets, ...f.shownHidden].map((v) => `\n    ${v}`).join(''),
    )
    .join('\n');
  writeFileSync(path.join(out, 'axe.txt'), `${table}\n`);
  expect(
    findings.filter(
      (f) => f.violations.length > 0 || f.zoomOverflow > 0 || f.smallTargets.length > 0 || f.shownHidden.length > 0,
    ),
  ).toEqual([]);
  // 长辈模式 follows the person to a new sign-in (another tab, another device).
  const again = await tabOf('manager');
  expect(await again.page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true);
  await again.ctx.close();
}, 600_000);

test('every mini-app page route was opened above', () => {
  // The H5 pages: public GET routes under /m/ (their data comes from the guarded /api/m/*), not assets.
  const pages = listRoutes(t.runtime.app!)
    .filter((r) => r.method === 'GET' && r.policy && 'public' in r.policy && /^\/m(\/|$)/.test(r.path))
    .map((r) => r.path)
    .filter((p) => !p.startsWith('/m/assets/'));
  expect(pages.length).toBeGreaterThanOrEqual(17);
  const trim = (p: string) => p.replace(/\/$/, '') || '/';
  const missing = pages.filter((route) => {
    const re = new RegExp(`^${trim(route).replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    return ![...opened].some((p) => re.test(trim(p)));
  });
  expect(missing).toEqual([]);
});

test('the dashboard transfers at most 400 KB on first load: compressed, cached, echarts only there', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const responses: Array<{ url: string; bytes: number; encoding: string; cache: string }> = [];
  page.on('requestfinished', (req) => {
    void (async () => {
      const res = await req.response();
      const sizes = await req.sizes();
      responses.push({
        url: req.url(),
        bytes: sizes.responseBodySize + sizes.responseHeadersSize,
        encoding: (await res?.headerValue('content-encoding')) ?? '',
        cache: (await res?.headerValue('cache-control')) ?? '',
      });
    })();
  });
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.people.leader.userId });
  await page.goto(`${t.runtime.httpUrl}/m/dashboard?authCode=${encodeURIComponent(code)}`);
  await settled(page);
  await page.locator('#chart-status canvas').waitFor();
  await page.waitForTimeout(200);
  const total = responses.reduce((s, r) => s + r.bytes, 0);
  const lines = responses.map(
    (r) =>
      `${String(r.bytes).padStart(8)}  ${r.encoding.padEnd(4)} ${r.cache}  ${r.url.replace(t.runtime.httpUrl!, '')}`,
  );
  writeFileSync(path.join(out, 'dashboard-transfer.txt'), `${lines.join('\n')}\n${total} bytes in all\n`);
  expect(total).toBeLessThanOrEqual(400 * 1024);
  const scripts = responses.filter((r) => r.url.includes('/m/assets/'));
  expect(scripts.length).toBeGreaterThanOrEqual(4);
  for (const s of scripts) {
    expect(s.cache).toContain('immutable');
    if (s.bytes > 2048) expect(['br', 'gzip']).toContain(s.encoding);
  }
  expect(scripts.some((s) => s.url.includes('vendor/echarts.js'))).toBe(true);

  // Other pages do not load echarts.
  const other: string[] = [];
  page.on('request', (req) => other.push(req.url()));
  await page.goto(`${t.runtime.httpUrl}/m/tasks`);
  await settled(page);
  expect(other.filter((u) => u.includes('echarts'))).toEqual([]);
  await ctx.close();
});
