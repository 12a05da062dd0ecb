// The demo data set (浙江省): regions, bureaus, a few hundred key units, agencies and testers, the
// people the DingTalk simulator knows, checklists and approval flows. Runs once: a SystemSetting
// marker is written in the same transaction, under an advisory lock, so concurrent starts and
// reruns do nothing. Everything is fictional; mobiles are encrypted like real ones.
import { appendAudit } from '../audit/audit';
import { protectMobile, type DataKey } from '../crypto';
import type { Prisma, PrismaClient } from './generated/client';
import { syncRegions } from '../regions/load-regions';
import { APPROVAL_DEFINITIONS, CHECKLISTS } from './seed/catalog';
import { addMonths, mobileFor, nameUuid, personName, prng, unionIdFor } from './seed/generators';
import { buildUnits } from './seed/units';
import { AGENCIES } from './seed/agencies';
import { countyBureauName, PROVINCE, ZHEJIANG } from './seed/zhejiang';
import { DEMO, demoActors, type PersonSeed } from './seed/demo-actors';

export { DEMO, DEMO_PEOPLE_BY_ROLE } from './seed/demo-actors';

/** SystemSetting key marking that the demo seed ran. */
export const DEMO_SEED_MARKER = 'seed.demo';
const SEED_LOCK_KEY = 7461742002;

/** What seedDemo did. */
export interface SeedResult {
  seeded: boolean;
  counts?: Record<string, number>;
  durationMs: number;
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
      const people: PersonSeed[] = demoActors(orgIdFor(PROVINCE.code));
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

export { listDirectoryForDingTalk, listOrgsForDingTalk, type DirectoryEntry } from './seed/dingtalk-directory';
