// The demo data set (浙江省): regions, bureaus, a few hundred key units, agencies and testers, the
// people the DingTalk simulator knows, checklists and approval flows. Runs once: a SystemSetting
// marker is written in the same transaction, under an advisory lock, so concurrent starts and
// reruns do nothing. Everything is fictional; mobiles are encrypted like real ones.
import { appendAudit } from '../audit/audit';
import { protectMobile, revealMobile, type DataKey } from '../crypto';
import type { Prisma, PrismaClient } from './generated/client';
import type { PersonRole } from './generated/enums';
import { syncRegions } from '../regions/load-regions';
import { APPROVAL_DEFINITIONS, CHECKLISTS } from './seed/catalog';
import { addMonths, mobileFor, nameUuid, personName, prng, unionIdFor } from './seed/generators';
import { AGENCIES, buildUnits, DEMO_UNITS } from './seed/units';
import { countyBureauName, PROVINCE, ZHEJIANG } from './seed/zhejiang';

/** SystemSetting key marking that the demo seed ran. */
export const DEMO_SEED_MARKER = 'seed.demo';
const SEED_LOCK_KEY = 7461742002;

/** Fixed ids of the demo actors (the first thread's story: 余杭区 regulator and the 石化仓储 unit). */
export const DEMO = {
  unitId: DEMO_UNITS[0].id,
  unitUscc: DEMO_UNITS[0].uscc,
  unitName: DEMO_UNITS[0].name,
  orgId: 'de300000-0000-4000-8000-000000000301',
  regulatorPersonId: 'de300000-0000-4000-8000-000000000001',
  regulatorDingUserId: 'u_zhouzhiyuan',
  regulatorName: '周志远',
  unitManagerPersonId: 'de300000-0000-4000-8000-000000000002',
  unitManagerDingUserId: 'u_chenxiaofeng',
  unitManagerName: '陈晓峰',
  legalRepPersonId: 'de300000-0000-4000-8000-000000000003',
  legalRepDingUserId: 'u_wanghaiyan',
  leaderPersonId: 'de300000-0000-4000-8000-000000000004',
  leaderDingUserId: 'u_linguohua',
  adminPersonId: 'de300000-0000-4000-8000-000000000005',
  adminDingUserId: 'u_admin',
  agencyId: AGENCIES[0].id,
  agencyStaffPersonId: 'de300000-0000-4000-8000-000000000006',
  agencyStaffDingUserId: 'u_sunjie',
} as const;

/** The demo's people by role, as the simulator's person picker shows them first. */
export const DEMO_PEOPLE_BY_ROLE: Array<{ label: string; userIds: string[] }> = [
  { label: '执法人员', userIds: [DEMO.regulatorDingUserId] },
  { label: '单位负责人', userIds: [DEMO.unitManagerDingUserId] },
  { label: '法定代表人', userIds: [DEMO.legalRepDingUserId] },
  { label: '分管领导', userIds: [DEMO.leaderDingUserId] },
  { label: '检测机构', userIds: [DEMO.agencyStaffDingUserId] },
  { label: '系统管理员', userIds: [DEMO.adminDingUserId] },
];

/** What seedDemo did. */
export interface SeedResult {
  seeded: boolean;
  counts?: Record<string, number>;
  durationMs: number;
}

interface PersonSeed {
  id: string;
  name: string;
  title: string;
  roles: PersonRole[];
  dingUserId: string;
  unitId?: string;
  orgId?: string;
  agencyId?: string;
  gov?: boolean;
}

const orgIdFor = (code: string) => (code === '330110' ? DEMO.orgId : nameUuid(`org:${code}`));

/** Seeds the demo data once; later calls return { seeded: false }. */
export async function seedDemo(
  prisma: PrismaClient,
  dataKey: DataKey,
  opts: { now?: Date; unitCount?: number } = {},
): Promise<SeedResult> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const rnd = prng(20260701);
  // Every person's name is unique in the demo, so that a picker or a list never shows two 周志远.
  const names = new Set<string>([DEMO.regulatorName, DEMO.unitManagerName, '王海燕', '林国华', '孙杰', '系统管理员']);
  const uniqueName = (): string => {
    for (;;) {
      const n = personName(rnd);
      if (!names.has(n)) {
        names.add(n);
        return n;
      }
    }
  };
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
      if (await tx.systemSetting.findUnique({ where: { key: DEMO_SEED_MARKER } })) {
        return { seeded: false, durationMs: Date.now() - started };
      }

      // Regions through the same loader as `leiguard regions load` (the national data set), then
      // the demo's bureaus: one per city and county of 浙江省.
      const regions = await syncRegions(tx, [PROVINCE.code]);
      const orgs: Prisma.RegulatorOrgCreateManyInput[] = [
        { id: orgIdFor(PROVINCE.code), name: '浙江省气象局', regionCode: PROVINCE.code },
      ];
      for (const city of ZHEJIANG) {
        orgs.push({
          id: orgIdFor(city.code),
          name: `${city.name}气象局`,
          regionCode: city.code,
          parentId: orgIdFor(PROVINCE.code),
        });
        for (const [code, name] of city.counties) {
          orgs.push({
            id: orgIdFor(code),
            name: countyBureauName(city.name, name),
            regionCode: code,
            parentId: orgIdFor(city.code),
          });
        }
      }
      await tx.regulatorOrg.createMany({ data: orgs.filter((o) => !o.parentId) });
      await tx.regulatorOrg.createMany({ data: orgs.filter((o) => o.parentId === orgIdFor(PROVINCE.code)) });
      await tx.regulatorOrg.createMany({
        data: orgs.filter((o) => o.parentId && o.parentId !== orgIdFor(PROVINCE.code)),
      });

      // Units and agencies.
      const units = buildUnits(ZHEJIANG, opts.unitCount ?? 300, rnd, now, orgIdFor);
      await tx.unit.createMany({ data: units });
      await tx.agency.createMany({
        data: AGENCIES.map((a, i) => ({
          ...a,
          // One agency's certificate is about to expire, for the demo of R10 / renewal reminders.
          certValidUntil: addMonths(now, i === 5 ? 1 : 24 + i * 3),
        })),
      });

      // People.
      const people: PersonSeed[] = [
        {
          id: DEMO.regulatorPersonId,
          name: DEMO.regulatorName,
          title: '执法人员',
          roles: ['REGULATOR'],
          dingUserId: DEMO.regulatorDingUserId,
          orgId: DEMO.orgId,
          gov: true,
        },
        {
          id: DEMO.unitManagerPersonId,
          name: DEMO.unitManagerName,
          title: '安全负责人',
          roles: ['UNIT_MANAGER'],
          dingUserId: DEMO.unitManagerDingUserId,
          unitId: DEMO.unitId,
        },
        {
          id: DEMO.legalRepPersonId,
          name: '王海燕',
          title: '法定代表人',
          roles: ['LEGAL_REP'],
          dingUserId: DEMO.legalRepDingUserId,
          unitId: DEMO.unitId,
        },
        {
          id: DEMO.leaderPersonId,
          name: '林国华',
          title: '分管副局长',
          roles: ['LEADER'],
          dingUserId: DEMO.leaderDingUserId,
          orgId: DEMO.orgId,
          gov: true,
        },
        {
          id: DEMO.adminPersonId,
          name: '系统管理员',
          title: '运维',
          roles: ['ADMIN'],
          dingUserId: DEMO.adminDingUserId,
          orgId: orgIdFor(PROVINCE.code),
        },
        {
          id: DEMO.agencyStaffPersonId,
          name: '孙杰',
          title: '检测员',
          roles: ['AGENCY_STAFF'],
          dingUserId: DEMO.agencyStaffDingUserId,
          agencyId: DEMO.agencyId,
        },
      ];
      for (const o of orgs) {
        const code = o.regionCode;
        const level = code === PROVINCE.code ? 'p' : code.endsWith('00') ? 'c' : 'x';
        const regulators = level === 'x' ? 2 : 1;
        for (let k = 1; k <= regulators; k++) {
          if (code === '330110' && k === 1) continue; // the demo regulator
          people.push({
            id: nameUuid(`person:reg:${code}:${k}`),
            name: uniqueName(),
            title: '执法人员',
            roles: ['REGULATOR'],
            dingUserId: `u_rg_${code}_${k}`,
            orgId: o.id,
            gov: true,
          });
        }
        if (code !== '330110') {
          people.push({
            id: nameUuid(`person:lead:${code}`),
            name: uniqueName(),
            title: level === 'p' ? '副局长' : '分管副局长',
            roles: ['LEADER'],
            dingUserId: `u_ld_${code}`,
            orgId: o.id,
            gov: true,
          });
        }
      }
      for (const [i, u] of units.entries()) {
        if (u.id === DEMO.unitId) continue;
        people.push({
          id: nameUuid(`person:um:${u.uscc}`),
          name: uniqueName(),
          title: '安全负责人',
          roles: ['UNIT_MANAGER'],
          dingUserId: `u_um_${String(i).padStart(4, '0')}`,
          unitId: u.id,
        });
        people.push({
          id: nameUuid(`person:lr:${u.uscc}`),
          name: uniqueName(),
          title: '法定代表人',
          roles: ['LEGAL_REP'],
          dingUserId: `u_lr_${String(i).padStart(4, '0')}`,
          unitId: u.id,
        });
      }
      const testers: Prisma.TesterCreateManyInput[] = [];
      for (const [ai, a] of AGENCIES.entries()) {
        for (let k = 0; k < 4; k++) {
          const isDemoStaff = ai === 0 && k === 0;
          const personId = isDemoStaff
            ? DEMO.agencyStaffPersonId
            : ai === 0 || k === 0
              ? nameUuid(`person:ag:${a.uscc}:${k}`)
              : null;
          const name = isDemoStaff ? '孙杰' : uniqueName();
          if (personId && !isDemoStaff) {
            people.push({
              id: personId,
              name,
              title: '检测员',
              roles: ['AGENCY_STAFF'],
              dingUserId: `u_ag_${ai}_${k}`,
              agencyId: a.id,
            });
          }
          testers.push({
            id: nameUuid(`tester:${a.uscc}:${k}`),
            agencyId: a.id,
            name,
            certNo: `FLJC-${a.homeProvince.slice(0, 2)}-${2021 + ((ai + k) % 4)}-${String(ai * 10 + k + 1).padStart(4, '0')}`,
            // The demo agency's last tester has an expired certificate (R03 demo).
            certValidUntil: addMonths(now, ai === 0 && k === 3 ? -2 : 18 + k * 6),
            personId,
          });
        }
      }
      await tx.person.createMany({
        data: people.map((p, i) => ({
          id: p.id,
          name: p.name,
          title: p.title,
          roles: p.roles,
          dingUserId: p.dingUserId,
          dingUnionId: unionIdFor(p.dingUserId),
          govAccountId: p.gov ? String(60_000_000 + i) : null,
          unitId: p.unitId ?? null,
          orgId: p.orgId ?? null,
          agencyId: p.agencyId ?? null,
          ...protectMobile(dataKey, mobileFor(i)),
        })),
      });
      await tx.tester.createMany({ data: testers });

      await tx.checklist.createMany({
        data: CHECKLISTS.map((c) => ({
          id: nameUuid(`checklist:${c.key}:${c.version}`),
          key: c.key,
          name: c.name,
          version: c.version,
          items: c.items as unknown as Prisma.InputJsonValue,
        })),
      });
      await tx.approvalDefinition.createMany({
        data: APPROVAL_DEFINITIONS.map((d) => ({
          id: nameUuid(`approval:${d.key}`),
          key: d.key,
          name: d.name,
          steps: d.steps as unknown as Prisma.InputJsonValue,
        })),
      });

      const counts = {
        regions: regions.created + regions.updated + regions.unchanged,
        orgs: orgs.length,
        units: units.length,
        agencies: AGENCIES.length,
        testers: testers.length,
        persons: people.length,
        checklists: CHECKLISTS.length,
        approvalDefinitions: APPROVAL_DEFINITIONS.length,
      };
      await tx.systemSetting.create({
        data: { key: DEMO_SEED_MARKER, value: { version: 1, at: now.toISOString(), counts } },
      });
      await appendAudit(tx, {
        actorKind: 'SYSTEM',
        action: 'demo.seeded',
        subjectType: 'SystemSetting',
        subjectId: DEMO_SEED_MARKER,
        data: counts,
      });
      return { seeded: true, counts, durationMs: Date.now() - started };
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}

/** One DingTalk user of the directory the simulator serves. */
export interface DirectoryEntry {
  personId: string;
  dingUserId: string;
  unionId: string | null;
  name: string;
  /** Decrypted: the simulator's directory needs it (userid/getbymobile). */
  mobile: string | null;
  title: string | null;
  roles: PersonRole[];
  /** Department-like grouping: the bureau, unit or agency name. */
  deptName: string | null;
  /** The bureau of a regulator or leader (a department of the simulated org). */
  orgId: string | null;
}

/** Everyone with a dingUserId, with clear-text mobile, to load the DingTalk simulator's directory. */
export async function listDirectoryForDingTalk(prisma: PrismaClient, dataKey: DataKey): Promise<DirectoryEntry[]> {
  const rows = await prisma.person.findMany({
    where: { dingUserId: { not: null }, active: true },
    orderBy: { dingUserId: 'asc' },
    select: {
      id: true,
      name: true,
      title: true,
      roles: true,
      dingUserId: true,
      dingUnionId: true,
      mobileEnc: true,
      orgId: true,
      org: { select: { name: true } },
      unit: { select: { name: true } },
      agency: { select: { name: true } },
    },
  });
  return rows.map((p) => ({
    personId: p.id,
    dingUserId: p.dingUserId!,
    unionId: p.dingUnionId,
    name: p.name,
    mobile: p.mobileEnc ? revealMobile(dataKey, p.mobileEnc) : null,
    title: p.title,
    roles: p.roles,
    deptName: p.org?.name ?? p.unit?.name ?? p.agency?.name ?? null,
    orgId: p.orgId,
  }));
}

/** The bureaus, parents before children, to load as the simulated org's departments. */
export async function listOrgsForDingTalk(
  prisma: PrismaClient,
): Promise<Array<{ id: string; name: string; parentId: string | null }>> {
  const orgs = await prisma.regulatorOrg.findMany({
    select: { id: true, name: true, parentId: true },
    orderBy: [{ regionCode: 'asc' }, { id: 'asc' }],
  });
  const out: typeof orgs = [];
  const placed = new Set<string>();
  let level = orgs.filter((o) => !o.parentId || !orgs.some((x) => x.id === o.parentId));
  while (level.length > 0) {
    for (const o of level) placed.add(o.id);
    out.push(...level);
    level = orgs.filter((o) => !placed.has(o.id) && o.parentId && placed.has(o.parentId));
  }
  return out;
}
