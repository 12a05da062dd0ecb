// The units and the warning of bench:warning: two counties, their bureaus with two regulators each,
// key units with one manager each (one in five sites flammable, whose notices go first).
import { generateUscc } from '../core/domain/uscc';
import { createOrg, ensureRegion } from '../test/factories';
import type { TestRuntime } from '../test/helpers/runtime';
import { addSimUsers } from './lib';

/** The feed's token in the benchmark. */
export const WARNING_TOKEN = 'bench-warning-token-0123456789';
/** DingTalk userIds of unit managers start with this (regulators with `bw_r`, leaders with `bw_l`). */
export const MANAGER_PREFIX = 'bw_m';

const COUNTIES = [
  ['330110', '余杭区'],
  ['330109', '萧山区'],
] as const;
const CATEGORIES = ['FLAMMABLE', 'CROWDED', 'ELECTRONIC', 'CULTURAL', 'OTHER'] as const;

/** Seeds `n` key units over the two counties, with their managers in the simulated directory. */
export async function seedUnits(t: TestRuntime, n: number): Promise<void> {
  const p = t.db.prisma;
  await ensureRegion(p, '330100', '杭州市');
  const users: string[] = [];
  for (const [c, [code, name]] of COUNTIES.entries()) {
    await ensureRegion(p, code, name);
    const org = await createOrg(p, { regionCode: code, name: `杭州市${name}气象局` });
    await p.person.createMany({
      data: [1, 2].map((k) => ({
        name: `执法${c}${k}`,
        roles: ['REGULATOR' as const],
        orgId: org.id,
        dingUserId: `bw_r${c}_${k}`,
      })),
    });
    users.push(`bw_r${c}_1`, `bw_r${c}_2`);
    const share = c === 0 ? Math.ceil(n / 2) : Math.floor(n / 2);
    for (let from = 0; from < share; from += 2000) {
      const size = Math.min(2000, share - from);
      const units = await p.unit.createManyAndReturn({
        data: Array.from({ length: size }, (_, k) => {
          const i = c * 1_000_000 + from + k;
          return {
            uscc: generateUscc(code, 3_000_000 + i),
            name: `${name}示例重点单位${from + k + 1}`,
            regionCode: code,
            address: `杭州市${name}示例路 ${from + k + 1} 号`,
            category: CATEGORIES[(from + k) % CATEGORIES.length],
            lpClass: 2,
            supervisingOrgId: org.id,
            supervisionCode: `BW${i}`,
          };
        }),
        select: { id: true, supervisionCode: true },
      });
      await p.person.createMany({
        data: units.map((u) => ({
          name: `负责人${u.supervisionCode}`,
          roles: ['UNIT_MANAGER' as const],
          unitId: u.id,
          dingUserId: `${MANAGER_PREFIX}${u.supervisionCode}`,
        })),
      });
      users.push(...units.map((u) => `${MANAGER_PREFIX}${u.supervisionCode}`));
    }
  }
  await addSimUsers(t, users);
}

/** The feed's red warning for both counties, valid two hours. */
export function redWarning(seq: number) {
  const issued = new Date();
  const stamp = new Date(issued.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  return {
    id: `33010041600000_${stamp}_${seq % 1000}`,
    level: 'RED',
    regionCodes: COUNTIES.map(([code]) => code),
    issuedAt: issued.toISOString(),
    expiresAt: new Date(issued.getTime() + 2 * 3600_000).toISOString(),
    issuer: '杭州市气象台',
    text: '余杭区、萧山区 2 小时内发生雷电活动的可能性非常大，请做好防范。',
  };
}
