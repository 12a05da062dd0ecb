// core/db/seed-demo.ts: content, idempotency, directory for the DingTalk simulator (its speed is
// part of the start-up time the README reports, not a test).
import { verifyAuditChain } from '../../../core/audit';
import { deriveDataKey, maskMobile, mobileBlindIndex } from '../../../core/crypto';
import { DEMO, listDirectoryForDingTalk, seedDemo } from '../../../core/db/seed-demo';
import { isValidUscc } from '../../../core/domain/uscc';
import { createTestDatabase, createTestPglite } from '../../helpers/db';

const dataKey = deriveDataKey(Buffer.alloc(32, 3));

describe('seedDemo on PGlite', () => {
  let db: Awaited<ReturnType<typeof createTestPglite>>;
  beforeAll(async () => {
    db = await createTestPglite();
    const r = await seedDemo(db.prisma, dataKey);
    expect(r.seeded).toBe(true);
  });
  afterAll(() => db?.drop());

  it('has the province, 11 cities, all 90 counties and a bureau for each', async () => {
    const { prisma } = db;
    expect(await prisma.region.count({ where: { level: 'PROVINCE' } })).toBe(1);
    expect(await prisma.region.count({ where: { level: 'CITY', parentCode: '330000' } })).toBe(11);
    expect(await prisma.region.count({ where: { level: 'COUNTY' } })).toBe(90);
    expect(await prisma.regulatorOrg.count()).toBe(102);
    const yh = await prisma.regulatorOrg.findUniqueOrThrow({ where: { id: DEMO.orgId }, include: { parent: true } });
    expect(yh).toMatchObject({ name: '杭州市余杭区气象局', regionCode: '330110' });
    expect(yh.parent?.name).toBe('杭州市气象局');
    expect((await prisma.regulatorOrg.findFirstOrThrow({ where: { regionCode: '330782' } })).name).toBe('义乌市气象局');
  });

  it('has a few hundred units with valid USCCs, the §8.4 ones included, over all categories', async () => {
    const { prisma } = db;
    const units = await prisma.unit.findMany();
    expect(units.length).toBeGreaterThanOrEqual(300);
    for (const u of units) expect(isValidUscc(u.uscc)).toBe(true);
    for (const uscc of [
      '91330110MA2H000017',
      '91330109MA2C000020',
      '12330100MB0000003W',
      '91330206MA2A00004T',
      '91330782MA2E000054',
    ]) {
      expect(units.some((u) => u.uscc === uscc)).toBe(true);
    }
    expect(new Set(units.map((u) => u.category)).size).toBe(7);
    expect(new Set(units.map((u) => u.regionCode)).size).toBeGreaterThan(60);
    expect(new Set(units.map((u) => u.riskColor))).toEqual(new Set(['GREEN', 'YELLOW', 'RED']));
    expect(units.some((u) => u.nextDueDate! < new Date())).toBe(true); // some overdue for the demo
    const agency = await prisma.agency.findUniqueOrThrow({
      where: { uscc: '91330105MA2B000060' },
      include: { testers: true },
    });
    expect(agency).toMatchObject({ id: DEMO.agencyId, level: 'B' });
    expect(agency.testers.length).toBeGreaterThanOrEqual(2);
  });

  it('has the demo actors with fixed ids and DingTalk ids', async () => {
    const { prisma } = db;
    const reg = await prisma.person.findUniqueOrThrow({
      where: { id: DEMO.regulatorPersonId },
      include: { org: true },
    });
    expect(reg).toMatchObject({ dingUserId: DEMO.regulatorDingUserId, roles: ['REGULATOR'] });
    expect(reg.org?.name).toBe('杭州市余杭区气象局');
    const mgr = await prisma.person.findUniqueOrThrow({
      where: { id: DEMO.unitManagerPersonId },
      include: { unit: true },
    });
    expect(mgr).toMatchObject({ dingUserId: DEMO.unitManagerDingUserId, roles: ['UNIT_MANAGER'] });
    expect(mgr.unit).toMatchObject({
      id: DEMO.unitId,
      name: '杭州示例石化仓储有限公司',
      halfYearCycle: true,
      supervisingOrgId: DEMO.orgId,
    });
    expect(await prisma.person.count({ where: { roles: { has: 'LEADER' }, orgId: DEMO.orgId } })).toBe(1);
    expect(await prisma.checklist.count()).toBeGreaterThanOrEqual(2);
    expect((await prisma.approvalDefinition.findMany({ orderBy: { key: 'asc' } })).map((d) => d.key)).toEqual(
      expect.arrayContaining(['permit.design-review', 'permit.completion-acceptance']),
    );
  });

  it('stores mobiles encrypted, and lists the directory for the simulator in clear', async () => {
    const { prisma } = db;
    const dir = await listDirectoryForDingTalk(prisma, dataKey);
    expect(dir.length).toBe(await prisma.person.count());
    expect(new Set(dir.map((d) => d.dingUserId)).size).toBe(dir.length);
    expect(new Set(dir.map((d) => d.mobile)).size).toBe(dir.length);
    const mgr = dir.find((d) => d.dingUserId === DEMO.unitManagerDingUserId)!;
    expect(mgr).toMatchObject({
      personId: DEMO.unitManagerPersonId,
      name: DEMO.unitManagerName,
      deptName: '杭州示例石化仓储有限公司',
    });
    expect(mgr.mobile).toMatch(/^1[3-9]\d{9}$/);
    const row = await prisma.person.findUniqueOrThrow({ where: { id: DEMO.unitManagerPersonId } });
    expect(row.mobileEnc).not.toContain(mgr.mobile!);
    expect(row.mobileMasked).toBe(maskMobile(mgr.mobile));
    const byMobile = await prisma.person.findUnique({ where: { mobileHash: mobileBlindIndex(dataKey, mgr.mobile!) } });
    expect(byMobile?.id).toBe(DEMO.unitManagerPersonId);
  });

  it('runs once: reruns and concurrent runs do nothing, and the audit chain holds', async () => {
    const { prisma } = db;
    const before = await prisma.person.count();
    const again = await Promise.all([seedDemo(prisma, dataKey), seedDemo(prisma, dataKey)]);
    expect(again.map((r) => r.seeded)).toEqual([false, false]);
    expect(await prisma.person.count()).toBe(before);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, checked: 1 });
  });
});

describe('seedDemo on Postgres', () => {
  it('seeds exactly once when two processes start together', async () => {
    const db = await createTestDatabase();
    try {
      const runs = await Promise.all([seedDemo(db.prisma, dataKey), seedDemo(db.prisma, dataKey)]);
      expect(runs.map((r) => r.seeded).sort()).toEqual([false, true]);
      expect(await db.prisma.unit.count()).toBe(305);
    } finally {
      await db.drop();
    }
  });
});
