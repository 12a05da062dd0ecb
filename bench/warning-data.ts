// The units and the warning of bench:warning: two counties, their bureaus with two regulators each,
// key units with one manager each (one in five sites flammable, whose notices go first).
import { randomUUID } from 'node:crypto';
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

/**
 * Seeds `n` key units over the two counties, with their managers in the simulated directory.
 * Rows go in with one INSERT … FROM unnest per 20,000 (a province's 127,403 units in seconds).
 */
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
    for (let from = 0; from < share; from += 20_000) {
      const size = Math.min(20_000, share - from);
      const ks = Array.from({ length: size }, (_, k) => from + k);
      const ids = ks.map(() => randomUUID());
      const codes = ks.map((k) => `BW${c * 1_000_000 + k}`);
      await p.$executeRaw`
        INSERT INTO "Unit" (id, uscc, name, "regionCode", address, category, "lpClass", "supervisingOrgId",
                            "supervisionCode", "updatedAt")
        SELECT t.id, t.uscc, t.name, ${code}, t.address, t.category::"UnitCategory", 2, ${org.id}, t.code, now()
          FROM unnest(${ids}::text[], ${ks.map((k) => generateUscc(code, 3_000_000 + c * 1_000_000 + k))}::text[],
                      ${ks.map((k) => `${name}示例重点单位${k + 1}`)}::text[],
                      ${ks.map((k) => `杭州市${name}示例路 ${k + 1} 号`)}::text[],
                      ${ks.map((k) => CATEGORIES[k % CATEGORIES.length])}::text[], ${codes}::text[])
            AS t(id, uscc, name, address, category, code)`;
      await p.$executeRaw`
        INSERT INTO "Person" (id, name, roles, "unitId", "dingUserId", "updatedAt")
        SELECT gen_random_uuid()::text, '负责人' || t.code, ARRAY['UNIT_MANAGER']::"PersonRole"[], t.unit,
               ${MANAGER_PREFIX} || t.code, now()
          FROM unnest(${ids}::text[], ${codes}::text[]) AS t(unit, code)`;
      users.push(...codes.map((code) => `${MANAGER_PREFIX}${code}`));
    }
  }
  // A site's tables have their statistics (autovacuum analyses them soon after an import).
  await p.$executeRawUnsafe('ANALYZE "Unit", "Person"');
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
