// People imports, natural key = mobile number (blind index, never stored in clear):
// - 人员 (people): unit managers, legal representatives and agency staff, linked to their unit or
//   agency by its 统一社会信用代码;
// - 监管人员 (regulators): the bureau's own staff (执法人员, 分管领导), linked to their bureau by
//   name and region code (a bureau not yet known is created).
// Each file governs only its own roles: importing someone as a regulator keeps a unit role they
// already have.
import { revealIdNumber, revealMobile } from '../../crypto';
import type { PersonRole } from '../../db';
import { label } from '../../domain/labels';
import { parentRegionCode } from '../../domain/region';
import * as f from '../fields';
import type { ColumnSpec, KindSpec } from '../types';
import { EXPORT_PAGE, pages } from './shared';
import { C, type PersonRecord } from './person-columns';
import { writePeople, type Resolver } from './person-write';

export type { PersonRecord } from './person-columns';

const PEOPLE_ROLES: PersonRole[] = ['UNIT_MANAGER', 'LEGAL_REP', 'AGENCY_STAFF'];
const REGULATOR_ROLES: PersonRole[] = ['REGULATOR', 'LEADER', 'ADMIN'];

const commonColumns = (roles: PersonRole[], example: string): ColumnSpec[] => [
  { key: 'name', header: C.name, required: true, example: '陈晓峰', note: '' },
  {
    key: 'mobile',
    header: C.mobile,
    required: true,
    example: '13800000000',
    note: '11 位手机号，用于匹配钉钉账号；是人员的唯一标识，加密保存',
  },
  {
    key: 'roles',
    header: C.roles,
    required: true,
    example,
    note: `可填：${roles.map((r) => label('PersonRole', r)).join('、')}；多个用顿号分隔`,
  },
  { key: 'title', header: C.title, required: false, example: '安全科科长', note: '可选' },
  { key: 'idNumber', header: C.idNumber, required: false, example: '', note: '可选，18 位；加密保存，导出时脱敏' },
];

/** People of units and agencies: the USCC names a unit or an agency, which decides the roles allowed. */
const byUscc: Resolver = async (tx, rows) => {
  const codes = [...new Set(rows.map((r) => (r.record.affiliation as { uscc: string }).uscc))];
  const units = new Map(
    (await tx.unit.findMany({ where: { uscc: { in: codes } }, select: { id: true, uscc: true } })).map((u) => [
      u.uscc,
      u.id,
    ]),
  );
  const agencies = new Map(
    (await tx.agency.findMany({ where: { uscc: { in: codes } }, select: { id: true, uscc: true } })).map((a) => [
      a.uscc,
      a.id,
    ]),
  );
  return {
    resolve(r) {
      const uscc = (r.affiliation as { uscc: string }).uscc;
      const unitId = units.get(uscc);
      const agencyId = agencies.get(uscc);
      if (!unitId && !agencyId) return `【${C.uscc}】系统中没有该单位或检测机构（${uscc}），请先导入重点单位或检测机构`;
      const staff = r.roles.includes('AGENCY_STAFF');
      if (staff && r.roles.length > 1) return `【${C.roles}】检测机构人员不能同时是重点单位负责人或法定代表人`;
      if (staff && !agencyId) return `【${C.roles}】${uscc} 是重点单位，不是检测机构，角色不能填「检测机构人员」`;
      if (!staff && !unitId) return `【${C.roles}】${uscc} 是检测机构，其人员的角色应填「检测机构人员」`;
      return staff
        ? { unitId: null, agencyId: agencyId!, orgId: null }
        : { unitId: unitId!, agencyId: null, orgId: null };
    },
  };
};

/** Regulators: the bureau by (region, name), created when new under the bureau of the parent region. */
const byOrg: Resolver = async (tx, rows) => {
  const pairs = new Map<string, { orgName: string; regionCode: string }>();
  for (const r of rows) {
    const a = r.record.affiliation as { orgName: string; regionCode: string };
    pairs.set(`${a.regionCode}|${a.orgName}`, a);
  }
  const found = await tx.regulatorOrg.findMany({
    where: { OR: [...pairs.values()].map((a) => ({ regionCode: a.regionCode, name: a.orgName })) },
    orderBy: { createdAt: 'asc' },
    select: { id: true, name: true, regionCode: true },
  });
  const orgs = new Map<string, string>();
  for (const o of found) if (!orgs.has(`${o.regionCode}|${o.name}`)) orgs.set(`${o.regionCode}|${o.name}`, o.id);
  const createdOrgs: string[] = [];
  for (const [k, a] of pairs) {
    if (orgs.has(k)) continue;
    const parentCode = parentRegionCode(a.regionCode);
    const parent = parentCode
      ? await tx.regulatorOrg.findFirst({
          where: { regionCode: parentCode },
          orderBy: { createdAt: 'asc' },
          select: { id: true },
        })
      : null;
    const org = await tx.regulatorOrg.create({
      data: { name: a.orgName, regionCode: a.regionCode, parentId: parent?.id ?? null },
    });
    orgs.set(k, org.id);
    createdOrgs.push(org.id);
  }
  return {
    resolve(r) {
      const a = r.affiliation as { orgName: string; regionCode: string };
      return { unitId: null, agencyId: null, orgId: orgs.get(`${a.regionCode}|${a.orgName}`)! };
    },
    audit: createdOrgs.length > 0 ? { createdOrgIds: createdOrgs } : undefined,
  };
};

function parsePerson(c: Readonly<Record<string, string>>, p: f.RowProblems, allowed: PersonRole[]) {
  return {
    name: f.text(p, C.name, c.name ?? '', { required: true, max: 50 }),
    mobile: f.mobile(p, C.mobile, c.mobile ?? ''),
    roles: f.enumList(p, C.roles, c.roles ?? '', 'PersonRole', { required: true, allowed }) as PersonRole[] | undefined,
    title: f.text(p, C.title, c.title ?? '', { max: 50 }),
    idNumber: f.idNumber(p, C.idNumber, c.idNumber ?? ''),
  };
}

function mobileText(
  p: { mobileEnc: string | null; mobileMasked: string | null },
  opts: { dataKey: import('../../crypto').DataKey; reveal: boolean },
): string {
  if (!p.mobileEnc) return '';
  return opts.reveal ? revealMobile(opts.dataKey, p.mobileEnc) : (p.mobileMasked ?? '');
}

function idText(
  p: { idNumberEnc: string | null; idNumberMasked: string | null },
  opts: { dataKey: import('../../crypto').DataKey; reveal: boolean },
): string {
  if (!p.idNumberEnc) return '';
  return opts.reveal ? revealIdNumber(opts.dataKey, p.idNumberEnc) : (p.idNumberMasked ?? '');
}

const rolesText = (roles: PersonRole[], owned: PersonRole[]) =>
  roles
    .filter((r) => owned.includes(r))
    .map((r) => label('PersonRole', r))
    .join('、');

/** People of units and agencies. */
export const personKind: KindSpec<PersonRecord> = {
  kind: 'PERSON',
  label: '单位及检测机构人员',
  slug: 'people',
  columns: [
    ...commonColumns(PEOPLE_ROLES, '重点单位负责人'),
    {
      key: 'uscc',
      header: C.uscc,
      required: true,
      example: '91330110MA0000001T',
      note: '所在重点单位或检测机构的统一社会信用代码（须已导入）',
    },
  ],
  parse(c, p) {
    const base = parsePerson(c, p, PEOPLE_ROLES);
    const uscc = f.uscc(p, C.uscc, c.uscc ?? '');
    return p.ok ? ({ ...base, affiliation: { uscc: uscc! } } as PersonRecord) : undefined;
  },
  key: (r) => ({ key: r.mobile, what: '手机号相同' }),
  write: (tx, rows, ctx) => writePeople(tx, rows, ctx, PEOPLE_ROLES, byUscc, false),
  async *exportRows(prisma, opts) {
    for await (const p of pages((after) =>
      prisma.person.findMany({
        where: { roles: { hasSome: PEOPLE_ROLES }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: EXPORT_PAGE,
        include: { unit: { select: { uscc: true } }, agency: { select: { uscc: true } } },
      }),
    )) {
      yield [
        p.name,
        mobileText(p, opts),
        rolesText(p.roles, PEOPLE_ROLES),
        p.title ?? '',
        idText(p, opts),
        p.unit?.uscc ?? p.agency?.uscc ?? '',
      ];
    }
  },
};

/** The bureau's own staff. */
export const regulatorKind: KindSpec<PersonRecord> = {
  kind: 'REGULATOR',
  label: '监管人员',
  slug: 'regulators',
  columns: [
    ...commonColumns(REGULATOR_ROLES, '执法人员'),
    {
      key: 'orgName',
      header: C.orgName,
      required: true,
      example: '杭州市余杭区气象局',
      note: '所在气象主管机构全称（系统中没有时自动创建）',
    },
    {
      key: 'orgRegion',
      header: C.orgRegion,
      required: true,
      example: '330110',
      note: '该机构管辖区域的 6 位行政区划代码',
    },
  ],
  parse(c, p, ctx) {
    const base = parsePerson(c, p, REGULATOR_ROLES);
    const orgName = f.text(p, C.orgName, c.orgName ?? '', { required: true, max: 100 });
    const regionCode = f.region(p, C.orgRegion, c.orgRegion ?? '', ctx);
    return p.ok
      ? ({ ...base, affiliation: { orgName: orgName!, regionCode: regionCode! } } as PersonRecord)
      : undefined;
  },
  key: (r) => ({ key: r.mobile, what: '手机号相同' }),
  write: (tx, rows, ctx) => writePeople(tx, rows, ctx, REGULATOR_ROLES, byOrg, true),
  async *exportRows(prisma, opts) {
    for await (const p of pages((after) =>
      prisma.person.findMany({
        where: { roles: { hasSome: REGULATOR_ROLES }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: EXPORT_PAGE,
        include: { org: { select: { name: true, regionCode: true } } },
      }),
    )) {
      yield [
        p.name,
        mobileText(p, opts),
        rolesText(p.roles, REGULATOR_ROLES),
        p.title ?? '',
        idText(p, opts),
        p.org?.name ?? '',
        p.org?.regionCode ?? '',
      ];
    }
  },
};
