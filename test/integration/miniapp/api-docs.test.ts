// /api/docs (issue #7 item 5): the OpenAPI 3.1 document is generated from the routes the running
// app serves and from the very zod schemas that validate their input; the page shows it in Chinese.
import request from 'supertest';
import { z } from 'zod';
import { submitRectificationInput } from '../../../core/hazard/rectification';
import { submitInspectionInput } from '../../../core/inspection/code-inspection';
import { listRoutes } from '../../../miniapp/authz';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { createHazard } from '../../factories';

let t: TestRuntime;
let w: World;
let url: string;

beforeAll(async () => {
  t = await startTestRuntime();
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

/** The areas of the hazard loop and the inspections: every route there carries its own doc. */
const DOCUMENTED = /^\/api\/m\/(hazards|inspections|code|units|uploads|session|me|tasks|dashboard|draws)(\/|$)/;

test('every API route is in the document; the mini-app routes with their summary, permission and sign-in', async () => {
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
    else if (DOCUMENTED.test(r.path) && !r.doc) missing.push(`${r.method} ${r.path}: no apiDoc`);
    else if (DOCUMENTED.test(r.path) && !/[\u4e00-\u9fff]/.test(op.summary))
      missing.push(`${r.method} ${r.path}: no Chinese summary`);
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
