// The world of `npm run bench:api`: five counties of 杭州, each with its bureau (eight regulators,
// two leaders) and fifty key units with a manager and four hazards in various states: 300 people
// who sign in to the mini-app.
import { randomUUID } from 'node:crypto';
import { addCalendarDays } from '../core/domain/working-days';
import { createOrg, createUnit, ensureRegion } from '../test/factories';
import type { TestRuntime } from '../test/helpers/runtime';
import { addSimUsers } from './lib';

const COUNTIES = [
  ['330102', '上城区'],
  ['330105', '拱墅区'],
  ['330106', '西湖区'],
  ['330108', '滨江区'],
  ['330110', '余杭区'],
] as const;
const REGULATORS_PER_COUNTY = 8;
const LEADERS_PER_COUNTY = 2;
const UNITS_PER_COUNTY = 50;
const HAZARDS_PER_UNIT = 4;
const STATES = ['PENDING', 'FIXING', 'OVERDUE', 'CLOSED'] as const;

/** A person who signs in, with what they read or write. */
export interface BenchUser {
  userId: string;
  /** Units the person manages (a manager) or may file hazards for (a regulator). */
  unitIds: string[];
  /** Hazards whose page the person opens. */
  hazardIds: string[];
}

/** The people by role. */
export interface ApiWorld {
  managers: BenchUser[];
  regulators: BenchUser[];
  leaders: BenchUser[];
}

/** Creates the world in the database and the simulated directory. */
export async function seedApiWorld(t: TestRuntime): Promise<ApiWorld> {
  const p = t.db.prisma;
  const world: ApiWorld = { managers: [], regulators: [], leaders: [] };
  await ensureRegion(p, '330000', '浙江省');
  await ensureRegion(p, '330100', '杭州市');
  const now = new Date();
  for (const [ci, [code, name]] of COUNTIES.entries()) {
    await ensureRegion(p, code, name);
    const org = await createOrg(p, { regionCode: code, name: `杭州市${name}气象局` });
    const unitIds: string[] = [];
    for (let u = 0; u < UNITS_PER_COUNTY; u++) {
      const unit = await createUnit(p, {
        regionCode: code,
        name: `${name}示例仓储有限公司${u + 1}`,
        supervisingOrgId: org.id,
      });
      unitIds.push(unit.id);
      const userId = `ba_m${ci}_${u}`;
      await p.person.create({
        data: { name: `经理${ci}-${u}`, roles: ['UNIT_MANAGER'], unitId: unit.id, dingUserId: userId },
      });
      const hazards = Array.from({ length: HAZARDS_PER_UNIT }, (_, k) => {
        const foundAt = addCalendarDays(now, -5 * (k + 1));
        const status = STATES[k % STATES.length]!;
        return {
          id: randomUUID(),
          unitId: unit.id,
          source: 'ENFORCEMENT' as const,
          type: 'EARTH_R' as const,
          grade: k === 0 ? ('MAJOR' as const) : ('GENERAL' as const),
          status,
          description: `${k + 1} 号储罐接地电阻 ${12 + k}.6 Ω，超过 10 Ω 限值`,
          foundAt,
          deadline: addCalendarDays(foundAt, status === 'OVERDUE' ? 3 : 20),
          closedAt: status === 'CLOSED' ? now : null,
          filedById: null,
        };
      });
      await p.hazard.createMany({ data: hazards });
      world.managers.push({ userId, unitIds: [unit.id], hazardIds: hazards.map((h) => h.id) });
    }
    for (let r = 0; r < REGULATORS_PER_COUNTY; r++) {
      const userId = `ba_r${ci}_${r}`;
      await p.person.create({
        data: { name: `执法${ci}-${r}`, roles: ['REGULATOR'], orgId: org.id, dingUserId: userId },
      });
      world.regulators.push({ userId, unitIds, hazardIds: [] });
    }
    for (let l = 0; l < LEADERS_PER_COUNTY; l++) {
      const userId = `ba_l${ci}_${l}`;
      await p.person.create({ data: { name: `局长${ci}-${l}`, roles: ['LEADER'], orgId: org.id, dingUserId: userId } });
      world.leaders.push({ userId, unitIds: [], hazardIds: [] });
    }
  }
  await addSimUsers(
    t,
    [...world.managers, ...world.regulators, ...world.leaders].map((u) => u.userId),
  );
  return world;
}
