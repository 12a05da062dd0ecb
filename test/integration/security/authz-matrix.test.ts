// The authorization matrix (issue #10): every route the running app serves, enumerated from its
// routers at run time, is called by every role, once for a record inside the caller's unit or
// jurisdiction and once for one outside it. The expected answer of each (action, role) is the
// table below, written independently of core/authz POLICY; a route that declares no policy, a
// public route not listed here, or an action missing from the table fails the test.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { POLICY, TOKEN_ACTIONS, type Action } from '../../../core/authz';
import { generateUscc } from '../../../core/domain/uscc';
import { shanghaiDate, startOfShanghaiDay } from '../../../core/domain/working-days';
import type { PersonRole, UnitCategory } from '../../../core/db/generated/enums';
import { currentChecklist } from '../../../core/inspection/checklists';
import { listRoutes, type RouteInfo } from '../../../miniapp/authz';
import { createHazard, createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { signIn } from '../../helpers/session';

/**
 * Who calls: a person holding one role (signed in through 免登), the operator (basic auth), a
 * testing agency's system (its API token), or nobody.
 */
type Caller = PersonRole | 'OPERATOR' | 'AGENCY_API' | 'ANONYMOUS';

/** 'in': allowed for records inside the caller's unit/jurisdiction only; 'any': allowed everywhere. */
type Answer = 'in' | 'any';

/** Every signed-in person and the operator, about themselves. */
const ANY_SIGNED_IN: Partial<Record<Caller, Answer>> = {
  UNIT_MANAGER: 'any',
  LEGAL_REP: 'any',
  REGULATOR: 'any',
  LEADER: 'any',
  AGENCY_STAFF: 'any',
  ADMIN: 'any',
  OPERATOR: 'any',
};

/** The expected answers. A caller not named for an action must be refused (401/403). */
const EXPECTED: Record<Action, Partial<Record<Caller, Answer>>> = {
  'me.read': ANY_SIGNED_IN,
  'me.settings': ANY_SIGNED_IN,
  'card.act': ANY_SIGNED_IN,
  'upload.create': { UNIT_MANAGER: 'any', LEGAL_REP: 'any', REGULATOR: 'any', AGENCY_STAFF: 'any' },
  'hazard.list': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in' },
  'unit.search': { REGULATOR: 'in' },
  'hazard.view': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in' },
  'hazard.ack': { UNIT_MANAGER: 'in', LEGAL_REP: 'in' },
  'hazard.rectify': { UNIT_MANAGER: 'in' },
  'hazard.extend': { UNIT_MANAGER: 'in' },
  'hazard.verify': { REGULATOR: 'in' },
  'hazard.file': { REGULATOR: 'in' },
  'unit.view': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in' },
  'unit.archive.export': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in' },
  'test-report.submit': { AGENCY_API: 'in' },
  'test-report.view': { REGULATOR: 'in', LEADER: 'in' },
  'test-report.review': { REGULATOR: 'in' },
  'task.list': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in', AGENCY_STAFF: 'in' },
  'inspection.start': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in' },
  'inspection.view': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in' },
  'inspection.submit': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in' },
  'draw.create': { REGULATOR: 'in' },
  'draw.view': { REGULATOR: 'in', LEADER: 'in' },
  'dashboard.view': { REGULATOR: 'in', LEADER: 'in' },
  'warning.issue': { REGULATOR: 'in' },
  'warning.cancel': { REGULATOR: 'in' },
  'warning.view': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in' },
  'warning.ack': { UNIT_MANAGER: 'in', LEGAL_REP: 'in' },
  'warning.record': { REGULATOR: 'in', LEADER: 'in' },
  'approval.list': {
    UNIT_MANAGER: 'any',
    LEGAL_REP: 'any',
    REGULATOR: 'any',
    LEADER: 'any',
    AGENCY_STAFF: 'any',
    ADMIN: 'any',
    OPERATOR: 'any',
  },
  'approval.view': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in' },
  'approval.decide': { REGULATOR: 'in', LEADER: 'in' },
  'approval.withdraw': { UNIT_MANAGER: 'in' },
  'approval.nudge': { UNIT_MANAGER: 'in' },
  'delegation.manage': { REGULATOR: 'any', LEADER: 'any' },
  'approval.apply': { UNIT_MANAGER: 'in' },
  'permit.apply': { UNIT_MANAGER: 'in' },
  'ranking.list': { REGULATOR: 'in', LEADER: 'in' },
  'ranking.view': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in' },
  'interview.view': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in' },
  'interview.record': { REGULATOR: 'in' },
  'interview.task.complete': { UNIT_MANAGER: 'in', LEGAL_REP: 'in' },
  'interview.respond': { UNIT_MANAGER: 'in', LEGAL_REP: 'in' },
  'interview.schedule': { REGULATOR: 'in' },
  'test-plan.file': { AGENCY_STAFF: 'in' },
  'test-plan.submit': { AGENCY_API: 'in' },
  'test-plan.list': { AGENCY_STAFF: 'in' },
  'test-plan.view': { UNIT_MANAGER: 'in', LEGAL_REP: 'in', REGULATOR: 'in', LEADER: 'in', AGENCY_STAFF: 'in' },
  'test-plan.start': { AGENCY_STAFF: 'in' },
  'inspection.plan': { REGULATOR: 'in' },
  'admin.deliveries.read': { ADMIN: 'any', OPERATOR: 'any' },
  'admin.queues': { ADMIN: 'any', OPERATOR: 'any' },
  'admin.checklists.edit': { ADMIN: 'any', OPERATOR: 'any' },
  'admin.rankings.compute': { ADMIN: 'any', OPERATOR: 'any' },
  'admin.rankings.read': { ADMIN: 'any', OPERATOR: 'any' },
  'admin.imports.create': { ADMIN: 'any', OPERATOR: 'any' },
  'admin.imports.read': { ADMIN: 'any', OPERATOR: 'any' },
  'admin.directory.export': { ADMIN: 'any', OPERATOR: 'any' },
  'admin.directory.reveal': { ADMIN: 'any', OPERATOR: 'any' },
};

/** Routes anyone may call, and why that is right. */
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'liveness probe',
  'GET /readyz': 'readiness probe',
  'GET /metrics': 'Prometheus scrape',
  'POST /api/m/session': '免登 login',
  'DELETE /api/m/session': 'sign-out clears a cookie',
  'GET /m/': 'static page',
  'GET /m': 'redirect to /m/',
  'GET /m/hazards/new': 'static page',
  'GET /m/hazards/:id': 'static page',
  'GET /m/hazards/:id/rectify': 'static page',
  'GET /m/hazards/:id/extension': 'static page',
  'GET /m/approvals': 'static page',
  'GET /m/approvals/:id': 'static page',
  'GET /m/delegations': 'static page',
  'GET /m/reports/:id': 'static page',
  'GET /m/assets/:name': 'static asset',
  'GET /m/assets/vendor/:name': 'static asset (echarts, dingtalk-jsapi)',
  'GET /m/tasks': 'static page',
  'GET /m/code': 'static page',
  'GET /m/inspections/:id': 'static page',
  'GET /m/units/:id/sign': 'static page',
  'GET /m/units/:id': 'static page',
  'GET /m/test-plans': 'static page',
  'GET /m/test-plans/:id': 'static page',
  'GET /m/draws/new': 'static page',
  'GET /m/dashboard': 'static page',
  'GET /m/ranking/:period': 'static page',
  'GET /m/ranking/:period/units/:id': 'static page',
  'GET /m/interviews/:id': 'static page',
  'POST /dingtalk/card-callback': 'signed by DingTalk',
  'POST /dingtalk/events': 'signed and encrypted by DingTalk',
  'POST /dingtalk/robot': 'signed by DingTalk with the AppSecret',
  'POST /api/warnings': '气象台 feed: its Bearer token is checked in the route',
  'POST /api/warnings/:id/cancel': '气象台 feed: its Bearer token is checked in the route',
  'POST /api/warnings/webhook': '气象台 push: HMAC-signed, checked in the route',
  'GET /api/warnings/:id/status': '气象台 feed: its Bearer token is checked in the route',
  'GET /m/warnings/:id': 'static page',
  'GET /m/cards/:outTrackId/:action': 'static page',
  'GET /m/warnings/:id/record': 'static page',
  'GET /api/m/uploads/:id': 'card images load without a session; ids are content hashes',
  'GET /api/docs': 'API documentation, no data',
  'GET /api/docs/openapi.json': 'API documentation, no data',
};

type Where = 'in' | 'out';

/**
 * Routes whose record is named in the body, or by a path parameter the policy does not load: the
 * request for a record inside the callers' unit/jurisdiction and for one outside it, so that they
 * are checked in and out like the routes whose record the central guard loads.
 */
const TARGETS: Partial<Record<string, (where: Where) => { path?: string; body: object }>> = {
  // A scanned supervision code, signed for the unit inside or outside.
  'POST /api/m/code/open': (where) => ({ body: codes[where] }),
  // A tester's scan on site: the unit of the agency's plan (inside) or a unit it has no plan for.
  'POST /api/m/field/start': (where) => ({ body: codes[where] }),
  // A regulator's warning for a county inside or outside their jurisdiction.
  'POST /api/m/warnings': (where) => ({ body: warningBody(where === 'in' ? '330110' : '330212') }),
  'POST /api/m/warnings/:id/cancel': (where) => ({
    path: `/api/m/warnings/${encodeURIComponent(warnings[where])}/cancel`,
    body: {},
  }),
  // A warning that told the unit inside (in its county), and one for a county outside; not the
  // ones the cancel route lifts.
  'GET /api/m/warnings/:id': (where) => ({ path: `/api/m/warnings/${encodeURIComponent(told[where])}`, body: {} }),
  'POST /api/m/warnings/:id/ack': (where) => ({
    path: `/api/m/warnings/${encodeURIComponent(told[where])}/ack`,
    body: { from: 'FIRST_LINE.WORK_NOTICE' },
  }),
  'GET /api/m/warnings/:id/status': (where) => ({
    path: `/api/m/warnings/${encodeURIComponent(told[where])}/status`,
    body: {},
  }),
  'GET /api/m/warnings/:id/response-record': (where) => ({
    path: `/api/m/warnings/${encodeURIComponent(told[where])}/response-record`,
    body: {},
  }),
  'GET /api/m/warnings/:id/response-record.xlsx': (where) => ({
    path: `/api/m/warnings/${encodeURIComponent(told[where])}/response-record.xlsx`,
    body: {},
  }),
};

/** Path parameters that name no record (nothing to be inside or outside of), with why. */
const KEY_PARAMS: Record<string, string> = {
  outTrackId:
    'a card: only the person it was sent to may act on it, and the command behind the action checks role and record as a click does',
  action: "the id of one of the card's buttons",
  period: 'a ranking period such as 2026-11: the region is checked from the query, the unit by its id',
};

let warningSeq = 0;
/** A valid warning for one county, with a fresh national id each time. */
function warningBody(regionCode: string): object {
  const now = Date.now();
  return {
    id: `${regionCode}MX_20261203080000_${++warningSeq}`,
    level: 'YELLOW',
    regionCodes: [regionCode],
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3 * 3600_000).toISOString(),
    issuer: '矩阵测试气象台',
    text: '矩阵测试：预计未来 3 小时内可能发生雷电活动。',
  };
}

const CALLERS: Caller[] = [
  'UNIT_MANAGER',
  'LEGAL_REP',
  'REGULATOR',
  'LEADER',
  'AGENCY_STAFF',
  'ADMIN',
  'OPERATOR',
  'AGENCY_API',
  'ANONYMOUS',
];
const ADMIN_PASSWORD = 'matrix-Admin-pass-1';
const AGENCY_USCC = generateUscc('330100', 7_000_000 + (process.pid % 1_000_000));
const AGENCY_TOKEN = 'matrix-agency-token-0123456789';
/** The runtime's data folder: the test reports' files are read from its reports/. */
const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'lg-matrix-'));
/** A report file both test reports point at (GET /api/m/test-reports/:id/file). */
const REPORT_PDF = Buffer.from('%PDF-1.4\n% matrix\n');
const REPORT_SHA = createHash('sha256').update(REPORT_PDF).digest('hex');

let t: TestRuntime;
let url: string;
let routes: RouteInfo[];
const tag = `mx${Date.now().toString(36)}`;
/** Session tokens (persons) or basic auth (operator) by caller. */
const auth: Partial<Record<Caller, string>> = {};
/** Record ids by resource type: inside the callers' unit/jurisdiction and outside it. */
const records: Record<string, { in: string; out: string }> = {};
/** Signed supervision-code parameters of the unit inside and the unit outside. */
const codes: Record<Where, Record<string, string>> = { in: {}, out: {} };
/** Active warnings for the county inside and a county outside. */
const warnings: Record<Where, string> = { in: '', out: '' };
/** The same again, each having told the unit of its county (never cancelled by the test). */
const told: Record<Where, string> = { in: '', out: '' };

beforeAll(async () => {
  t = await startTestRuntime({
    env: {
      RATE_LIMIT_API_PER_MIN: '1000000',
      ADMIN_PASSWORD,
      TEST_REPORT_API_TOKENS: JSON.stringify({ [AGENCY_USCC]: AGENCY_TOKEN }),
      DATA_DIR: DATA_DIR,
    },
  });
  url = t.runtime.httpUrl!;
  routes = listRoutes(t.runtime.app!);
  const db = t.db.prisma;
  await ensureRegion(db, '330110');
  await ensureRegion(db, '330212');
  const county = await createOrg(db, { name: '杭州市余杭区气象局', regionCode: '330110' });
  const city = await createOrg(db, { name: '杭州市气象局', regionCode: '330100' });
  const unit = await createUnit(db, { regionCode: '330110', supervisingOrgId: county.id });
  const other = await createUnit(db, { regionCode: '330212' });
  const agency = await db.agency.create({
    data: {
      uscc: AGENCY_USCC,
      name: '矩阵测试检测机构',
      level: 'A',
      certNo: 'ZJ-0001',
      certValidUntil: new Date(Date.now() + 365 * 86_400_000),
      homeProvince: '330000',
    },
  });
  records.unit = { in: unit.id, out: other.id };
  const report = async (unitId: string, n: string) =>
    (
      await db.testReport.create({
        data: {
          reportNo: `MX-${tag}-${n}`,
          agencyId: agency.id,
          unitId,
          inspectionDate: new Date(),
          issueDate: new Date(),
          uploadDate: new Date(),
          conclusion: 'PASS',
          fileName: 'report.pdf',
          fileSha256: REPORT_SHA,
          fileSize: REPORT_PDF.length,
        },
      })
    ).id;
  mkdirSync(path.join(DATA_DIR, 'reports'), { recursive: true });
  writeFileSync(path.join(DATA_DIR, 'reports', `${REPORT_SHA}.pdf`), REPORT_PDF);
  records['test-report'] = { in: await report(unit.id, 'in'), out: await report(other.id, 'out') };
  // Testing plans: the matrix agency's for the unit inside (its staff member is a tester of it,
  // planned today, so the scan on site succeeds), another agency's for the unit outside.
  const otherAgency = await db.agency.create({
    data: {
      uscc: generateUscc('330200', 7_100_000 + (process.pid % 1_000_000)),
      name: '矩阵测试其他检测机构',
      level: 'A',
      certNo: 'ZJ-0002',
      certValidUntil: new Date(Date.now() + 365 * 86_400_000),
      homeProvince: '330000',
    },
  });
  const plan = (agencyId: string, unitId: string, testerIds: string[]) =>
    db.testPlan.create({
      data: {
        agencyId,
        unitId,
        plannedDate: startOfShanghaiDay(shanghaiDate(new Date())),
        testerIds,
        installations: ['接地装置'],
        via: 'api',
        reportDueAt: new Date(Date.now() + 14 * 86_400_000),
      },
    });
  const matrixTester = await db.tester.create({
    data: {
      agencyId: agency.id,
      name: '矩阵检测员',
      certNo: 'T-MX',
      certValidUntil: new Date(Date.now() + 365 * 86_400_000),
    },
  });
  records['test-plan'] = {
    in: (await plan(agency.id, unit.id, [matrixTester.id])).id,
    out: (await plan(otherAgency.id, other.id, [])).id,
  };
  records.hazard = {
    in: (await createHazard(db, { unitId: unit.id })).id,
    out: (await createHazard(db, { unitId: other.id })).id,
  };
  const inspection = async (unitId: string, category: UnitCategory) =>
    (
      await db.inspection.create({
        data: { mode: 'CODE', unitId, checklistId: (await currentChecklist(db, category)).id, inspectorIds: [] },
      })
    ).id;
  records.inspection = {
    in: await inspection(unit.id, unit.category),
    out: await inspection(other.id, other.category),
  };
  const draw = async (regionCode: string) =>
    (await db.inspectionDraw.create({ data: { seed: 'matrix', regionCode, params: {}, picks: [] } })).id;
  records['inspection-draw'] = { in: await draw('330110'), out: await draw('330212') };

  const links: Record<PersonRole, Record<string, string>> = {
    UNIT_MANAGER: { unitId: unit.id },
    LEGAL_REP: { unitId: unit.id },
    REGULATOR: { orgId: county.id },
    LEADER: { orgId: city.id },
    AGENCY_STAFF: { agencyId: agency.id },
    ADMIN: {},
  };
  const users: Array<{ userId: string; name: string }> = [];
  const personIds: Partial<Record<PersonRole, string>> = {};
  for (const [role, link] of Object.entries(links) as Array<[PersonRole, Record<string, string>]>) {
    const userId = `${role.toLowerCase()}_${tag}`;
    personIds[role] = (await createPerson(db, { roles: [role], dingUserId: userId, ...link })).id;
    users.push({ userId, name: role });
  }
  await db.tester.update({ where: { id: matrixTester.id }, data: { personId: personIds.AGENCY_STAFF } });
  // Approvals: one applied for by the unit manager inside, one by someone of the outside unit.
  const definition = await db.approvalDefinition.findUniqueOrThrow({ where: { key: 'permit.design-review' } });
  const outsider = await createPerson(db, { roles: ['UNIT_MANAGER'], unitId: other.id });
  const approval = (regionCode: string, createdById: string) =>
    db.approvalInstance.create({
      data: {
        definitionId: definition.id,
        subjectType: 'permit',
        subjectId: `mx-${createdById}`,
        title: '矩阵测试项目',
        regionCode,
        createdById,
      },
    });
  records.approval = {
    in: (await approval('330110', personIds.UNIT_MANAGER!)).id,
    out: (await approval('330212', outsider.id)).id,
  };
  // Interviews (and a follow-up task each) of the unit inside and of the one outside.
  const interview = async (unitId: string) =>
    db.interview.create({
      data: {
        unitId,
        reason: '矩阵测试约谈',
        scheduledAt: new Date(Date.now() + 86_400_000),
        place: '会议室',
        createdById: personIds.REGULATOR!,
      },
    });
  const [ivIn, ivOut] = [await interview(unit.id), await interview(other.id)];
  records.interview = { in: ivIn.id, out: ivOut.id };
  const task = async (interviewId: string) =>
    (
      await db.interviewTask.create({
        data: { interviewId, text: '整改承诺', dueAt: new Date(Date.now() + 86_400_000) },
      })
    ).id;
  records['interview-task'] = { in: await task(ivIn.id), out: await task(ivOut.id) };
  // Someone who may see the outside unit's code (to sign it as its QR sign would).
  const outsideOrg = await createOrg(db, { name: '宁波市鄞州区气象局', regionCode: '330212' });
  const outsideViewer = { userId: `outreg_${tag}`, name: 'OUTSIDE_VIEWER' };
  await createPerson(db, { roles: ['REGULATOR'], orgId: outsideOrg.id, dingUserId: outsideViewer.userId });
  await addUsers(t, [...users, outsideViewer]);
  for (const u of users) auth[u.name as PersonRole] = await signIn(t, u.userId);
  const codeOf = async (viewer: string, unitId: string) => {
    const res = await request(url).get(`/api/m/units/${unitId}/code`).set('Authorization', viewer).expect(200);
    return Object.fromEntries(new URL(res.body.url as string).searchParams);
  };
  codes.in = await codeOf(auth.UNIT_MANAGER!, unit.id);
  codes.out = await codeOf(await signIn(t, outsideViewer.userId), other.id);
  for (const [where, regionCode] of [
    ['in', '330110'],
    ['out', '330212'],
  ] as const) {
    const body = warningBody(regionCode) as {
      id: string;
      level: 'YELLOW';
      regionCodes: string[];
      issuedAt: string;
      expiresAt: string;
      issuer: string;
      text: string;
    };
    await db.lightningWarning.create({
      data: { ...body, issuedAt: new Date(body.issuedAt), expiresAt: new Date(body.expiresAt) },
    });
    warnings[where] = body.id;
    const second = warningBody(regionCode) as typeof body;
    await db.lightningWarning.create({
      data: { ...second, issuedAt: new Date(second.issuedAt), expiresAt: new Date(second.expiresAt) },
    });
    await db.warningUnit.create({
      data: { warningId: second.id, unitId: where === 'in' ? unit.id : other.id, channel: 'WORK_NOTICE', rank: 0 },
    });
    told[where] = second.id;
  }
  auth.AGENCY_API = `Bearer ${AGENCY_TOKEN}`;
  auth.OPERATOR = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
});
afterAll(async () => {
  await t?.close();
});

function key(r: RouteInfo): string {
  return `${r.method} ${r.path}`;
}

/** The route's path with its resource parameter set to `id` and any other parameter filled. */
function pathFor(r: RouteInfo, id: string | undefined): string {
  const param = r.policy && 'action' in r.policy ? (r.policy.resource?.param ?? 'id') : undefined;
  return r.path
    .replace(/\(\.\*\)/g, 'api/queues')
    .replace(/:([A-Za-z_]+)/g, (_m, name: string) =>
      name === param && id ? id : '00000000-0000-4000-8000-000000000000',
    );
}

async function call(r: RouteInfo, caller: Caller, id?: string, target?: { path?: string; body: object }) {
  const req = request(url)[r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](
    target?.path ?? pathFor(r, id),
  );
  if (auth[caller]) req.set('Authorization', auth[caller]);
  const bodyField = r.policy && 'action' in r.policy ? r.policy.resource?.body : undefined;
  if (r.method !== 'GET' && r.method !== 'DELETE')
    req.send(target?.body ?? (bodyField && id ? { [bodyField]: id } : {}));
  return req;
}

test('every route declares a policy: an action in the table, or public and listed', () => {
  expect(routes.length).toBeGreaterThan(8);
  const problems: string[] = [];
  for (const r of routes) {
    if (!r.policy) problems.push(`${key(r)}: no policy (bypasses the central authorization)`);
    else if ('public' in r.policy) {
      if (!PUBLIC[key(r)]) problems.push(`${key(r)}: public but not in the test's PUBLIC table`);
    } else if (!EXPECTED[r.policy.action])
      problems.push(`${key(r)}: action ${r.policy.action} not in the test's table`);
    else if (r.policy.resource && !records[r.policy.resource.type])
      problems.push(`${key(r)}: no fixture for resource type ${r.policy.resource.type}`);
    else {
      // A parameter the guard does not load names a record whose jurisdiction it cannot check.
      const loaded = r.policy.resource?.param ?? (r.policy.resource ? 'id' : undefined);
      const unloaded = [...r.path.matchAll(/:([A-Za-z_]+)/g)]
        .map((m) => m[1])
        .filter((p) => p !== loaded && !KEY_PARAMS[p]);
      const adminOnly = Object.keys(POLICY[r.policy.action]).every((role) => role === 'ADMIN');
      if (unloaded.length > 0 && !adminOnly && !TARGETS[key(r)])
        problems.push(`${key(r)}: parameter ${unloaded.join(', ')} is not checked in/out (add it to TARGETS)`);
    }
  }
  expect(problems).toEqual([]);
});

test('the policy table grants exactly what the expected table says', () => {
  // Derived from POLICY: 'all'/'self' grants reach everything, unit/jurisdiction/agency only inside;
  // the operator acts with the ADMIN role; TOKEN_ACTIONS take an agency's API token, not a session.
  const derived: Record<string, Partial<Record<Caller, Answer>>> = {};
  for (const action of Object.keys(POLICY) as Action[]) {
    const grants = POLICY[action] as Partial<Record<PersonRole, string>>;
    const row: Partial<Record<Caller, Answer>> = {};
    for (const caller of CALLERS) {
      const byToken = TOKEN_ACTIONS.has(action);
      const g =
        caller === 'ANONYMOUS'
          ? undefined
          : caller === 'AGENCY_API'
            ? byToken
              ? grants.AGENCY_STAFF
              : undefined
            : byToken
              ? undefined
              : grants[caller === 'OPERATOR' ? 'ADMIN' : caller];
      if (g) row[caller] = g === 'all' || g === 'self' ? 'any' : 'in';
    }
    derived[action] = row;
  }
  expect(derived).toEqual(EXPECTED);
});

test('every guarded route answers every caller as the table says, inside and outside its jurisdiction', async () => {
  const outsideIds = Object.values(records).map((r) => r.out);
  const mismatches: string[] = [];
  let calls = 0;
  for (const r of routes) {
    if (!r.policy || !('action' in r.policy)) continue;
    const expected = EXPECTED[r.policy.action];
    const type = r.policy.resource?.type;
    const target = TARGETS[key(r)];
    for (const caller of CALLERS) {
      for (const where of type || target ? (['in', 'out'] as const) : (['in'] as const)) {
        const res = await call(r, caller, type ? records[type]![where] : undefined, target?.(where)).catch(
          (err: Error) => {
            throw new Error(`${key(r)} as ${caller}: ${err.message}`);
          },
        );
        calls++;
        const answer = expected[caller];
        const allowed = answer === 'any' || (answer === 'in' && where === 'in');
        const refused = res.status === 401 || res.status === 403 || (type !== undefined && res.status === 404);
        if (allowed === refused || res.status >= 500) {
          mismatches.push(
            `${key(r)} as ${caller} (${where}): got ${res.status}, expected ${allowed ? 'allowed' : 'refused'}`,
          );
        }
        // A target's request is valid: allowed means it succeeded, not merely that it got past the guard.
        if (target && allowed && (res.status < 200 || res.status >= 300))
          mismatches.push(`${key(r)} as ${caller} (${where}): got ${res.status}, expected success`);
        if (!refused && answer !== 'any') {
          // Lists answer with data only from inside: no outside record may appear.
          const text = res.text ?? '';
          for (const id of outsideIds) if (text.includes(id)) mismatches.push(`${key(r)} as ${caller}: leaks ${id}`);
        }
        if (caller === 'ANONYMOUS' && res.status !== 401)
          mismatches.push(`${key(r)} anonymous: got ${res.status}, expected 401`);
      }
    }
  }
  expect(mismatches).toEqual([]);
  expect(calls).toBeGreaterThan(20);
}, 300_000);
