// test/factories on a real database, and the optimistic-lock pattern the schema's `version` serves.
import { mobileBlindIndex, revealMobile } from '../../../core/crypto';
import { createHazard, createOrg, createPerson, createUnit, TEST_DATA_KEY } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';

describe('factories', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('create units, people and hazards with their dependencies', async () => {
    const { prisma } = db;
    const org = await createOrg(prisma, { regionCode: '330109' });
    const unit = await createUnit(prisma, { regionCode: '330109', supervisingOrgId: org.id });
    const other = await createUnit(prisma);
    expect(unit.uscc).not.toBe(other.uscc);
    expect(await prisma.region.count()).toBe(4); // 330000, 330100, 330109, 330110

    const person = await createPerson(prisma, { unitId: unit.id, mobile: '13800001111' });
    expect(person.mobileMasked).toBe('138****1111');
    expect(revealMobile(TEST_DATA_KEY, person.mobileEnc!)).toBe('13800001111');
    expect(
      (await prisma.person.findUnique({ where: { mobileHash: mobileBlindIndex(TEST_DATA_KEY, '13800001111') } }))?.id,
    ).toBe(person.id);
    const regulator = await createPerson(prisma, { roles: ['REGULATOR'], orgId: org.id, mobile: null });
    expect(regulator.mobileEnc).toBeNull();

    const hazard = await createHazard(prisma, { unitId: unit.id, filedById: regulator.id });
    expect(hazard).toMatchObject({ status: 'PENDING', grade: 'GENERAL', version: 1, unitId: unit.id });
    expect(hazard.deadline.getTime()).toBeGreaterThan(hazard.foundAt.getTime() + 14 * 86_400_000);
    const standalone = await createHazard(prisma);
    expect(standalone.unitId).not.toBe(unit.id);
  });

  it('supports optimistic locking through Hazard.version', async () => {
    const { prisma } = db;
    const h = await createHazard(prisma);
    const bump = (status: 'FIXING' | 'SUBMITTED') =>
      prisma.hazard.updateMany({
        where: { id: h.id, version: h.version },
        data: { status, version: { increment: 1 } },
      });
    const [a, b] = await Promise.all([bump('FIXING'), bump('SUBMITTED')]);
    expect(a.count + b.count).toBe(1); // exactly one writer wins
    expect((await prisma.hazard.findUniqueOrThrow({ where: { id: h.id } })).version).toBe(2);
  });
});
