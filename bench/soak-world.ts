// The soak's supervision world: one county bureau with two regulators and two leaders (the digest's
// readers), and key units each with a manager, all known to the simulated DingTalk directory.
import type { PrismaClient } from '../core/db';
import { createOrg, createPerson, createUnit, ensureRegion } from '../test/factories';
import type { TestSimulator } from '../test/helpers/simulator';

/** A person of the world with their DingTalk userId. */
export interface SoakPerson {
  id: string;
  userId: string;
}

/** Ids the driver works with. */
export interface SoakWorld {
  regionCode: string;
  regulators: SoakPerson[];
  leaders: SoakPerson[];
  units: Array<{ id: string; manager: SoakPerson }>;
}

/** Creates the world in the database and the people in the simulator. */
export async function createSoakWorld(prisma: PrismaClient, sim: TestSimulator, units: number): Promise<SoakWorld> {
  const regionCode = '330110';
  await ensureRegion(prisma, '330000', '浙江省');
  await ensureRegion(prisma, '330100', '杭州市');
  await ensureRegion(prisma, regionCode, '余杭区');
  const org = await createOrg(prisma, { regionCode, name: '杭州市余杭区气象局' });
  const person = async (userId: string, name: string, data: Parameters<typeof createPerson>[1]) => {
    const p = await createPerson(prisma, { name, dingUserId: userId, ...data });
    return { id: p.id, userId };
  };
  const regulators = [
    await person('soak_r0', '周志远', { roles: ['REGULATOR'], orgId: org.id }),
    await person('soak_r1', '林国华', { roles: ['REGULATOR'], orgId: org.id }),
  ];
  const leaders = [
    await person('soak_l0', '陈局长', { roles: ['LEADER'], orgId: org.id }),
    await person('soak_l1', '吴副局长', { roles: ['LEADER'], orgId: org.id }),
  ];
  const out: SoakWorld['units'] = [];
  for (let i = 0; i < units; i++) {
    const unit = await createUnit(prisma, {
      regionCode,
      name: `余杭区示例仓储有限公司${i + 1}`,
      supervisingOrgId: org.id,
    });
    const manager = await person(`soak_m${i}`, `经理${i + 1}`, { roles: ['UNIT_MANAGER'], unitId: unit.id });
    out.push({ id: unit.id, manager });
  }
  const everyone = [...regulators, ...leaders, ...out.map((u) => u.manager)];
  const names = new Map(
    (await prisma.person.findMany({ select: { id: true, name: true } })).map((p) => [p.id, p.name] as const),
  );
  await sim.addUsers(everyone.map((p) => ({ userId: p.userId, name: names.get(p.id) ?? p.userId })));
  return { regionCode, regulators, leaders, units: out };
}
