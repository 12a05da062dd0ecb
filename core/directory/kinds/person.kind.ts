// People imports, natural key = mobile number (blind index, never stored in clear):
// - 人员 (people): unit managers, legal representatives and agency staff, linked to their unit or
//   agency by its 统一社会信用代码;
// - 监管人员 (regulators): the bureau's own staff (执法人员, 分管领导), linked to their bureau by
//   name and region code (a bureau not yet known is created).
// Each file governs only its own roles: importing someone as a regulator keeps a unit role they
// already have.
import {
  blindIndexes,
  maskName,
  mobileBlindIndexes,
  protectIdNumber,
  protectMobile,
  revealIdNumber,
  revealMobile,
} from '../../crypto';
import type { PersonRole, Prisma, Tx } from '../../db';
import type { Person } from '../../db/generated/client';
import { label } from '../../domain/labels';
import { parentRegionCode } from '../../domain/region';
import * as f from '../fields';
import type { ColumnSpec, KindSpec, ValidRow, WriteContext, WriteResult } from '../types';
import { differs, EXPORT_PAGE, pages } from './shared';

/** Where a person belongs. */
type Affiliation = { uscc: string } | { orgName: string; regionCode: string };

/** A parsed person row. */
export interface PersonRecord {
  name: string;
  mobile: string;
  roles: PersonRole[];
  title?: string;
  idNumber?: string;
  affiliation: Affiliation;
}

const C = {
  name: '姓名',
  mobile: '手机号',
  roles: '角色',
  title: '职务',
  idNumber: '身份证号',
  uscc: '所属单位统一社会信用代码',
  orgName: '所在机构名称',
  orgRegion: '机构行政区划代码',
} as const;

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

interface Resolved {
  unitId: string | null;
  agencyId: string | null;
  orgId: string | null;
}

type Resolver = (
  tx: Tx,
  rows: Array<ValidRow<PersonRecord>>,
) => Promise<{ resolve(r: PersonRecord): Resolved | string; audit?: Record<string, unknown> }>;

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

async function writePeople(
  tx: Tx,
  rows: Array<ValidRow<PersonRecord>>,
  ctx: WriteContext,
  owned: PersonRole[],
  resolver: Resolver,
): Promise<WriteResult> {
  const result: WriteResult = { created: 0, updated: 0, unchanged: 0, rejects: [] };
  // Look-ups match the blind index under every known key, so that rows a key rotation has not
  // reached yet are found (and moved to the current key when written).
  const hashOf = new Map(rows.map((r) => [r.row, mobileBlindIndexes(ctx.dataKey, r.record.mobile)]));
  const existing = byAnyHash(
    await tx.person.findMany({ where: { mobileHash: { in: [...hashOf.values()].flat() } } }),
    (p) => p.mobileHash,
  );
  const idHashOf = new Map<number, string[]>();
  for (const r of rows)
    if (r.record.idNumber) idHashOf.set(r.row, blindIndexes(ctx.dataKey, 'idNumber', r.record.idNumber));
  const idHolders = byAnyHash(
    await tx.person.findMany({
      where: { idNumberHash: { in: [...idHashOf.values()].flat() } },
      select: { id: true, idNumberHash: true, name: true },
    }),
    (p) => p.idNumberHash,
  );
  const { resolve, audit } = await resolver(tx, rows);
  result.audit = audit;
  const toCreate: Prisma.PersonCreateManyInput[] = [];
  for (const { row, record: r } of rows) {
    const mobileHashes = hashOf.get(row)!;
    const where = resolve(r);
    if (typeof where === 'string') {
      result.rejects.push({ row, reason: where });
      continue;
    }
    const current: Person | undefined = firstOf(existing, mobileHashes);
    if (current && current.name !== r.name) {
      result.rejects.push({
        row,
        reason: `【${C.mobile}】该手机号已登记给另一人（${maskName(current.name)}），请核对姓名或手机号`,
      });
      continue;
    }
    const idHashes = idHashOf.get(row);
    const holder = idHashes ? firstOf(idHolders, idHashes) : undefined;
    if (holder && holder.id !== current?.id) {
      result.rejects.push({ row, reason: `【${C.idNumber}】该身份证号已登记给另一人（${maskName(holder.name)}）` });
      continue;
    }
    const roles = [...(current?.roles.filter((x) => !owned.includes(x)) ?? []), ...r.roles];
    const data = {
      name: r.name,
      title: r.title ?? null,
      roles,
      ...(owned === REGULATOR_ROLES ? { orgId: where.orgId } : { unitId: where.unitId, agencyId: where.agencyId }),
    };
    // The same ID number under an old key is unchanged too: moving it is `keys rotate`'s work.
    const idCols =
      r.idNumber && !idHashes!.includes(current?.idNumberHash ?? '') ? protectIdNumber(ctx.dataKey, r.idNumber) : {};
    if (!current) {
      toCreate.push({ ...data, ...protectMobile(ctx.dataKey, r.mobile), ...idCols });
    } else if (differs(current, data) || 'idNumberEnc' in idCols) {
      await tx.person.update({ where: { id: current.id }, data: { ...data, ...idCols } });
      result.updated++;
    } else result.unchanged++;
  }
  if (toCreate.length > 0)
    result.created = (await tx.person.createMany({ data: toCreate, skipDuplicates: true })).count;
  return result;
}

/** Indexes rows by a hash column. */
function byAnyHash<T>(rows: T[], hashOf: (row: T) => string | null): Map<string, T> {
  const m = new Map<string, T>();
  for (const r of rows) {
    const h = hashOf(r);
    if (h) m.set(h, r);
  }
  return m;
}

/** The first row found under any of the hashes (current key first). */
function firstOf<T>(m: Map<string, T>, hashes: readonly string[]): T | undefined {
  for (const h of hashes) {
    const r = m.get(h);
    if (r) return r;
  }
  return undefined;
}

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
  write: (tx, rows, ctx) => writePeople(tx, rows, ctx, PEOPLE_ROLES, byUscc),
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
  write: (tx, rows, ctx) => writePeople(tx, rows, ctx, REGULATOR_ROLES, byOrg),
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
