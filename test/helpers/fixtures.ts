// A minimal supervision world for pipeline tests: a county, its bureau, a regulator, a key unit
// with a manager and a legal representative, each with a DingTalk userId.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../core/db';
import { generateUscc } from '../../core/domain/uscc';

/** Ids of the fixture's records. */
export interface World {
  regionCode: string;
  orgId: string;
  regulatorId: string;
  unitId: string;
  managerId: string;
  legalRepId: string;
  users: Array<{ userId: string; name: string }>;
}

let seq = 0;

/** Creates the world; `tag` keeps DingTalk userIds unique across test files. */
export async function createWorld(prisma: PrismaClient, tag = randomUUID().slice(0, 8)): Promise<World> {
  const n = ++seq;
  await prisma.region.createMany({
    data: [
      { code: '330000', name: '浙江省', level: 'PROVINCE' },
      { code: '330100', name: '杭州市', level: 'CITY', parentCode: '330000' },
      { code: '330110', name: '余杭区', level: 'COUNTY', parentCode: '330100' },
    ],
    skipDuplicates: true,
  });
  const org = await prisma.regulatorOrg.create({ data: { name: '杭州市余杭区气象局', regionCode: '330110' } });
  const unit = await prisma.unit.create({
    data: {
      uscc: generateUscc('330110', 900000 + n * 1000 + Math.floor(Math.random() * 999)),
      name: `杭州测试石化仓储有限公司${n}`,
      regionCode: '330110',
      address: '杭州市余杭区测试路 1 号',
      category: 'FLAMMABLE',
      lpClass: 2,
      halfYearCycle: true,
      supervisingOrgId: org.id,
      supervisionCode: `SC-${tag}-${n}`,
    },
  });
  const users = [
    { userId: `reg_${tag}_${n}`, name: '王执法' },
    { userId: `mgr_${tag}_${n}`, name: '李经理' },
    { userId: `rep_${tag}_${n}`, name: '张法人' },
  ];
  const regulator = await prisma.person.create({
    data: { name: users[0].name, roles: ['REGULATOR'], orgId: org.id, dingUserId: users[0].userId },
  });
  const manager = await prisma.person.create({
    data: { name: users[1].name, roles: ['UNIT_MANAGER'], unitId: unit.id, dingUserId: users[1].userId },
  });
  const legalRep = await prisma.person.create({
    data: { name: users[2].name, roles: ['LEGAL_REP'], unitId: unit.id, dingUserId: users[2].userId },
  });
  return {
    regionCode: '330110',
    orgId: org.id,
    regulatorId: regulator.id,
    unitId: unit.id,
    managerId: manager.id,
    legalRepId: legalRep.id,
    users,
  };
}
