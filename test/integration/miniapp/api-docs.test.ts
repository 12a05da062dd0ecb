// /api/docs (issue #7 item 5): the OpenAPI 3.1 document is generated from the routes the running
// app serves and from the very zod schemas that validate their input; the page shows it in Chinese.
// The warning feed and the agency report API (issue #18 item 8) carry their schemas, how they sign
// in, and an example that the route, given the credentials, accepts as it stands.
import request from 'supertest';
import { z } from 'zod';
import { reportInputSchema } from '../../../core/test-report/report-input';
import { warningInputSchema } from '../../../core/warning/warning-input';
import { warningWebhookSignature } from '../../../miniapp/api/warnings.route';
import { submitRectificationInput } from '../../../core/hazard/rectification';
import { submitInspectionInput } from '../../../core/inspection/code-inspection';
import { listRoutes } from '../../../miniapp/authz';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { createHazard } from '../../factories';

let t: TestRuntime;
let w: World;
let url: string;

const WARNING_TOKEN = 'warning-feed-token-0123456789';
const WEBHOOK_SECRET = 'warning-webhook-secret-0123456789';
const AGENCY_USCC = '91330105MA2B000060';
const AGENCY_TOKEN = 'agency-token-0123456789abcdef';

beforeAll(async () => {
  t = await startTestRuntime({
    env: {
      WARNING_API_TOKEN: WARNING_TOKEN,
      WARNING_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TEST_REPORT_API_TOKENS: JSON.stringify({ [AGENCY_USCC]: AGENCY_TOKEN }),
    },
  });
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  url = t.runtime.httpUrl!;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

type Op = {
  summary: string;
  description?: string;
  security: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, unknown>;
};

test('every API route is in the document with its own doc: a Chinese summary, permission and sign-in', async () => {
  const doc = (await request(url).get('/api/docs/openapi.json').expect(200)).body as {
    openapi: string;
    paths: Record<string, Record<string, Op>>;
  };
  expect(doc.openapi).toBe('3.1.0');
  const routes = listRoutes(t.runtime.app!).filter(
    (r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs'),
  );
  expect(routes.length).toBeGreaterThan(20);
  const missing: string[] = [];
  for (const r of routes) {
    const op = doc.paths[r.path.replace(/:([A-Za-z_]+)/g, '{$1}')]?.[r.method.toLowerCase()];
    if (!op) missing.push(`${r.method} ${r.path}: not in the document`);
    else if (!r.doc) missing.push(`${r.method} ${r.path}: no apiDoc`);
    else if (!/[\u4e00-\u9fff]/.test(op.summary)) missing.push(`${r.method} ${r.path}: no Chinese summary`);
  }
  expect(missing).toEqual([]);

  const rectify = doc.paths['/api/m/hazards/{id}/rectification']!.post!;
  expect(rectify.summary).toBe('提交整改');
  expect(rectify.description).toContain('权限：重点单位负责人（本单位）');
  expect(rectify.security).toEqual([{ session: [] }, { sessionCookie: [] }]);
  expect(Object.keys(rectify.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409']));
  expect(rectify.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  // The very schemas the core validates with.
  const { $schema: _a, ...rectSchema } = z.toJSONSchema(submitRectificationInput, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  expect(rectify.requestBody!.content['application/json']!.schema).toEqual(rectSchema);
  const { $schema: _b, ...inspSchema } = z.toJSONSchema(submitInspectionInput, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  expect(doc.paths['/api/m/inspections/{id}/submit']!.post!.requestBody!.content['application/json']!.schema).toEqual(
    inspSchema,
  );
  expect(Object.keys(doc.paths['/api/m/uploads']!.post!.requestBody!.content)).toEqual(['multipart/form-data']);
  expect(doc.paths['/api/m/session']!.post!.security).toEqual([]);
  expect(doc.paths['/api/m/hazards']!.get!.parameters!.map((p) => p.name)).toEqual([
    'status',
    'state',
    'overdue',
    'region',
    'unit',
    'limit',
  ]);
});

test('the documented schema is what the route enforces: a bad body gets 400 naming the fields, nothing changes', async () => {
  const hazard = await createHazard(t.db.prisma, { unitId: w.unitId });
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.users[1]!.userId });
  const token = (await request(url).post('/api/m/session').send({ authCode: code }).expect(200)).body.token as string;
  const res = await request(url)
    .post(`/api/m/hazards/${hazard.id}/rectification`)
    .set('authorization', `Bearer ${token}`)
    .send({ description: '已更换接地极', photos: [] })
    .expect(400);
  expect(res.body.error.code).toBe('VALIDATION_FAILED');
  expect(res.body.error.details.fields).toEqual([{ path: 'photos', message: '请至少上传 1 张整改照片' }]);
  expect(await t.db.prisma.rectification.count({ where: { hazardId: hazard.id } })).toBe(0);
});

test('the page lists the operations in Chinese, without scripts', async () => {
  const page = await request(url).get('/api/docs').expect(200);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  expect(page.headers['content-security-policy']).toContain("default-src 'none'");
  expect(page.text).toContain('雷卫 LeiGuard 接口');
  expect(page.text).toContain('<code>/api/m/hazards/{id}/verify</code> 复核整改');
  expect(page.text).toContain('权限：执法人员（本辖区）');
  expect(page.text).not.toContain('<script');
});

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

test('the warning feed and the agency report API: schema, sign-in and an example the route accepts as it stands', async () => {
  type Body = { schema: Record<string, unknown>; example?: Record<string, unknown> };
  const doc = (await request(url).get('/api/docs/openapi.json').expect(200)).body as {
    paths: Record<string, Record<string, Op & { requestBody?: { content: Record<string, Body> } }>>;
    components: { securitySchemes: Record<string, { description: string }> };
  };
  const body = (p: string) => doc.paths[p]!.post!.requestBody!.content['application/json']!;

  // The warning feed: the core's schema, the bearer token, an example.
  const feed = doc.paths['/api/warnings']!.post!;
  expect(feed.security).toEqual([{ warningToken: [] }]);
  expect(feed.description).toContain('同一编号再次发送即为更新');
  expect(body('/api/warnings').schema).toEqual(jsonSchema(warningInputSchema));
  const warning = body('/api/warnings').example!;
  expect(warningInputSchema.safeParse(warning).success).toBe(true);
  expect(body('/api/m/warnings').example).toEqual(warning);
  expect(doc.components.securitySchemes.warningToken!.description).toContain('WARNING_API_TOKEN');

  // The signed push: its headers, and the signature rule that the route checks.
  const hook = doc.paths['/api/warnings/webhook']!.post!;
  expect(hook.security).toEqual([{ warningSignature: [] }]);
  expect(hook.parameters!.filter((p) => p.in === 'header').map((p) => p.name)).toEqual([
    'x-leiguard-timestamp',
    'x-leiguard-signature',
  ]);
  expect(doc.components.securitySchemes.warningSignature!.description).toContain('HMAC-SHA256(WARNING_WEBHOOK_SECRET');
  const pushed = body('/api/warnings/webhook').example!;
  expect(pushed).toEqual({ event: 'issue', warning });

  // The examples work: pushed (a new warning, 201), then the same sent to the feed (no change, 200).
  const ts = String(Date.now());
  const push = await request(url)
    .post('/api/warnings/webhook')
    .set('x-leiguard-timestamp', ts)
    .set('x-leiguard-signature', warningWebhookSignature(WEBHOOK_SECRET, ts, pushed))
    .send(pushed)
    .expect(201);
  expect(push.body).toMatchObject({ warningId: warning.id, created: true, version: 1 });
  const again = await request(url)
    .post('/api/warnings')
    .set('authorization', `Bearer ${WARNING_TOKEN}`)
    .send(warning)
    .expect(200);
  expect(again.body).toMatchObject({ warningId: warning.id, created: false, version: 1 });
  // Credentials are checked before the body: a bad body without the token learns nothing.
  await request(url).post('/api/warnings').send({ level: 'PURPLE' }).expect(401);
  await request(url)
    .post(`/api/warnings/${encodeURIComponent(String(warning.id))}/cancel`)
    .set('authorization', `Bearer ${WARNING_TOKEN}`)
    .expect(200);
  expect(await t.db.prisma.lightningWarning.findUniqueOrThrow({ where: { id: String(warning.id) } })).toMatchObject({
    status: 'CANCELLED',
  });

  // The agency report API: the core's schema and an example report, accepted once the unit and the
  // testers it names exist at this installation.
  const reports = doc.paths['/api/test-reports']!.post!;
  expect(reports.security).toEqual([{ agencyToken: [] }]);
  expect(body('/api/test-reports').schema).toEqual(jsonSchema(reportInputSchema));
  const report = body('/api/test-reports').example as {
    unitUscc: string;
    testerIds: string[];
    reportNo: string;
  };
  const p = t.db.prisma;
  await p.unit.update({ where: { id: w.unitId }, data: { uscc: report.unitUscc } });
  const agency = await p.agency.create({
    data: {
      uscc: AGENCY_USCC,
      name: '示例防雷检测技术有限公司',
      level: 'A',
      certNo: 'ZJ-FL-2024-001',
      certValidUntil: new Date('2030-12-31T00:00:00+08:00'),
      homeProvince: '330000',
    },
  });
  for (const [i, id] of report.testerIds.entries())
    await p.tester.create({
      data: {
        id,
        agencyId: agency.id,
        name: `检测员${i + 1}`,
        certNo: `T-${i + 1}`,
        certValidUntil: new Date('2030-12-31T00:00:00+08:00'),
      },
    });
  const res = await request(url)
    .post('/api/test-reports')
    .set('authorization', `Bearer ${AGENCY_TOKEN}`)
    .send(report)
    .expect(201);
  expect(res.body).toMatchObject({
    reportId: expect.any(String),
    status: expect.stringMatching(/^(CHECKED|FLAGGED)$/),
  });
  expect(await p.testReport.count({ where: { reportNo: report.reportNo } })).toBe(1);
  // A malformed report still gets the core's message naming the fields, and writes nothing.
  const bad = await request(url)
    .post('/api/test-reports')
    .set('authorization', `Bearer ${AGENCY_TOKEN}`)
    .send({ ...report, reportNo: 'X', conclusion: 'OK' })
    .expect(400);
  expect(bad.body.error.message).toBe(
    '检测报告不合法：reportNo 报告编号至少 4 个字符；conclusion 结论应为 PASS（合格）或 FAIL（不合格）',
  );
  expect(await p.testReport.count()).toBe(1);

  const page = await request(url).get('/api/docs').expect(200);
  expect(page.text).toContain('<code>/api/warnings/webhook</code> 气象台推送雷电预警（签名）');
  expect(page.text).toContain('请求示例');
  expect(page.text).toContain('<code>x-leiguard-signature</code>（请求头，必填）');
});
