// An admin edits a category's checklist by saving a new version: bad input changes nothing; new
// inspections use the new version while one already started keeps its own.
import request from 'supertest';
import { startInspection } from '../../../core/inspection/code-inspection';
import { createWorld, type World } from '../../helpers/fixtures';
import { startTestRuntime, type TestRuntime } from '../../helpers/runtime';

const ADMIN_PASSWORD = 'checklist-Admin-pass-1';
let t: TestRuntime;
let w: World;
let basic: string;

beforeAll(async () => {
  t = await startTestRuntime({ env: { ADMIN_PASSWORD } });
  w = await createWorld(t.db.prisma);
  basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
});
afterAll(async () => {
  await t?.close();
});

test('a new version is saved and audited; bad input is refused in Chinese; inspections keep their version', async () => {
  const url = t.runtime.httpUrl!;
  const v1 = await request(url).get('/admin/api/checklists/FLAMMABLE').set('Authorization', basic).expect(200);
  expect(v1.body.checklist.version).toBe(1);
  const started = await startInspection(t.db.prisma, { personId: w.managerId, unitId: w.unitId, mode: 'CODE' });

  const before = await t.db.prisma.checklist.count();
  const dup = await request(url)
    .put('/admin/api/checklists/FLAMMABLE')
    .set('Authorization', basic)
    .send({ name: '易燃易爆场所防雷安全检查表', items: [v1.body.checklist.items[0], v1.body.checklist.items[0]] });
  expect(dup.status).toBe(400);
  expect(dup.body.error.message).toContain('检查项编号不能重复');
  const empty = await request(url)
    .put('/admin/api/checklists/FLAMMABLE')
    .set('Authorization', basic)
    .send({ name: '空表', items: [] });
  expect(empty.body.error.message).toContain('检查表至少需要 1 项');
  expect(await t.db.prisma.checklist.count()).toBe(before);
  expect((await request(url).put('/admin/api/checklists/NOPE').set('Authorization', basic).send({})).status).toBe(404);

  const items = [
    ...v1.body.checklist.items,
    {
      key: 'lightning-rod-height',
      text: '独立接闪杆高度满足保护范围要求',
      legalBasis: 'GB 50057《建筑物防雷设计规范》',
      hazardType: 'AIR_TERM',
      grade: 'GENERAL',
      deadlineWorkingDays: 20,
      weight: 5,
    },
  ];
  const v2 = await request(url)
    .put('/admin/api/checklists/FLAMMABLE')
    .set('Authorization', basic)
    .send({ name: '易燃易爆场所防雷安全检查表（2026 版）', items });
  expect(v2.status).toBe(201);
  expect(v2.body.checklist).toMatchObject({ version: 2, name: '易燃易爆场所防雷安全检查表（2026 版）' });
  expect(
    await t.db.prisma.auditEvent.count({ where: { action: 'checklist.versioned', subjectId: v2.body.checklist.id } }),
  ).toBe(1);

  const old = await t.db.prisma.inspection.findUniqueOrThrow({
    where: { id: started.inspectionId },
    select: { checklistId: true },
  });
  expect(old.checklistId).toBe(v1.body.checklist.id);
  const fresh = await startInspection(t.db.prisma, { personId: w.regulatorId, unitId: w.unitId, mode: 'CODE' });
  const now = await t.db.prisma.inspection.findUniqueOrThrow({
    where: { id: fresh.inspectionId },
    select: { checklistId: true },
  });
  expect(now.checklistId).toBe(v2.body.checklist.id);

  // Unit people cannot edit checklists.
  expect((await request(url).get('/admin/api/checklists/FLAMMABLE')).status).toBe(401);
});
