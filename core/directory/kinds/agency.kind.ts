// 防雷检测机构 import: natural key 统一社会信用代码.
import type { AgencyLevel, CreditGrade } from '../../db';
import { label } from '../../domain/labels';
import { regionLevelOf } from '../../domain/region';
import * as f from '../fields';
import type { KindSpec } from '../types';
import { dayText, differs, EXPORT_PAGE, pages } from './shared';

/** A parsed agency row. */
export interface AgencyRecord {
  uscc: string;
  name: string;
  level: AgencyLevel;
  certNo: string;
  certValidUntil: Date;
  homeProvince: string;
  regionCode?: string;
  creditGrade?: CreditGrade;
}

const C = {
  uscc: '统一社会信用代码',
  name: '机构名称',
  level: '资质等级',
  certNo: '资质证书编号',
  certValidUntil: '资质有效期至',
  homeProvince: '发证省份代码',
  regionCode: '所在行政区划代码',
  creditGrade: '信用等级',
} as const;

/** Testing agencies. */
export const agencyKind: KindSpec<AgencyRecord> = {
  kind: 'AGENCY',
  label: '检测机构',
  slug: 'agencies',
  columns: [
    {
      key: 'uscc',
      header: C.uscc,
      required: true,
      example: '91330100MA0000002R',
      note: '18 位，校验位须正确；机构的唯一标识',
    },
    { key: 'name', header: C.name, required: true, example: '浙江示例防雷检测有限公司', note: '' },
    { key: 'level', header: C.level, required: true, example: '甲级', note: '甲级或乙级' },
    { key: 'certNo', header: C.certNo, required: true, example: '浙雷检〔2024〕001号', note: '' },
    {
      key: 'certValidUntil',
      header: C.certValidUntil,
      required: true,
      example: '2028-12-31',
      note: '格式如 2028-12-31',
    },
    {
      key: 'homeProvince',
      header: C.homeProvince,
      required: true,
      example: '330000',
      note: '颁发资质的省份的 6 位代码（如 330000）',
    },
    {
      key: 'regionCode',
      header: C.regionCode,
      required: false,
      example: '330100',
      note: '机构所在地的 6 位行政区划代码，可选',
    },
    { key: 'creditGrade', header: C.creditGrade, required: false, example: 'A', note: 'A、B、C 或 D，可选（默认 B）' },
  ],

  parse(c, p, ctx) {
    const r = {
      uscc: f.uscc(p, C.uscc, c.uscc ?? ''),
      name: f.text(p, C.name, c.name ?? '', { required: true, max: 100 }),
      level: f.enumValue(p, C.level, c.level ?? '', 'AgencyLevel', { required: true }),
      certNo: f.text(p, C.certNo, c.certNo ?? '', { required: true, max: 60 }),
      certValidUntil: f.date(p, C.certValidUntil, c.certValidUntil ?? '', { required: true }),
      homeProvince: f.region(p, C.homeProvince, c.homeProvince ?? '', ctx, true, true),
      regionCode: f.region(p, C.regionCode, c.regionCode ?? '', ctx, false, true),
      creditGrade: f.enumValue(p, C.creditGrade, c.creditGrade ?? '', 'CreditGrade'),
    };
    if (r.homeProvince && regionLevelOf(r.homeProvince) !== 'PROVINCE')
      p.add(C.homeProvince, `应为省级代码（以 0000 结尾）：${r.homeProvince}`);
    return p.ok ? (r as AgencyRecord) : undefined;
  },

  key: (r) => ({ key: r.uscc, what: '统一社会信用代码相同' }),

  async write(tx, rows) {
    const result = { created: 0, updated: 0, unchanged: 0, rejects: [] as Array<{ row: number; reason: string }> };
    const existing = new Map(
      (await tx.agency.findMany({ where: { uscc: { in: rows.map((r) => r.record.uscc) } } })).map((a) => [a.uscc, a]),
    );
    const toCreate = [];
    for (const { record: r } of rows) {
      const data = {
        name: r.name,
        level: r.level,
        certNo: r.certNo,
        certValidUntil: r.certValidUntil,
        homeProvince: r.homeProvince,
        regionCode: r.regionCode ?? null,
        creditGrade: r.creditGrade, // undefined = keep what the bureau rated
      };
      const current = existing.get(r.uscc);
      if (!current) toCreate.push({ ...data, uscc: r.uscc });
      else if (differs(current, data)) {
        await tx.agency.update({ where: { id: current.id }, data });
        result.updated++;
      } else result.unchanged++;
    }
    if (toCreate.length > 0)
      result.created = (await tx.agency.createMany({ data: toCreate, skipDuplicates: true })).count;
    return result;
  },

  async *exportRows(prisma) {
    for await (const a of pages((after) =>
      prisma.agency.findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: EXPORT_PAGE }),
    )) {
      yield [
        a.uscc,
        a.name,
        label('AgencyLevel', a.level),
        a.certNo,
        dayText(a.certValidUntil),
        a.homeProvince,
        a.regionCode ?? '',
        a.creditGrade,
      ];
    }
  },
};
