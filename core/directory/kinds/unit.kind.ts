// 重点单位 import: natural key 统一社会信用代码. The supervising bureau is resolved from the unit's
// region after the import (../supervision.ts); the next test is due 6 or 12 months after the last one.
import { addMonths } from '../../db/seed/generators';
import { deriveSupervisionCode } from '../../inspection/supervision-code';
import { randomUUID } from 'node:crypto';
import type { Tx, UnitCategory } from '../../db';
import { label, LABELS } from '../../domain/labels';
import * as f from '../fields';
import type { KindSpec } from '../types';
import { dayText, differs, EXPORT_PAGE, pages } from './shared';

/** A parsed unit row. */
export interface UnitRecord {
  uscc: string;
  name: string;
  regionCode: string;
  address: string;
  category: UnitCategory;
  lpClass: number;
  halfYearCycle: boolean;
  lastTestDate?: Date;
  lng?: number;
  lat?: number;
}

const C = {
  uscc: '统一社会信用代码',
  name: '单位名称',
  regionCode: '行政区划代码',
  address: '详细地址',
  category: '单位类别',
  lpClass: '防雷类别',
  halfYearCycle: '每半年检测',
  lastTestDate: '上次检测日期',
  lng: '经度',
  lat: '纬度',
} as const;

/** Columns compared on re-import (and the key). */
const UNIT_COLUMNS =
  'id, uscc, name, "regionCode", address, category::text AS category, "lpClass", "halfYearCycle", "lastTestDate", "nextDueDate", lng, lat';

interface UnitRow {
  id: string;
  uscc: string;
  [column: string]: unknown;
}

type NewUnit = Omit<UnitRecord, 'lastTestDate' | 'lng' | 'lat'> & {
  lastTestDate: Date | null;
  nextDueDate: Date | null;
  lng: number | null;
  lat: number | null;
  supervisionCode: string;
  supervisingOrgId: string | null;
};

/** One INSERT for the whole batch (unnest of column arrays); returns the rows inserted. */
async function insertUnits(tx: Tx, units: NewUnit[]): Promise<number> {
  const col = <T>(f: (u: NewUnit) => T) => units.map(f);
  const now = new Date();
  return tx.$executeRawUnsafe(
    `INSERT INTO "Unit" (id, uscc, name, "regionCode", address, category, "lpClass", "halfYearCycle", "lastTestDate", "nextDueDate", lng, lat, "supervisionCode", "supervisingOrgId", "updatedAt")
     SELECT id, uscc, name, region, address, category::"UnitCategory", lp, half, last, next, lng, lat, code, org, $15
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::boolean[],
                   $9::timestamptz[], $10::timestamptz[], $11::float8[], $12::float8[], $13::text[], $14::text[])
         AS t(id, uscc, name, region, address, category, lp, half, last, next, lng, lat, code, org)
     ON CONFLICT DO NOTHING`,
    col(() => randomUUID()),
    col((u) => u.uscc),
    col((u) => u.name),
    col((u) => u.regionCode),
    col((u) => u.address),
    col((u) => u.category),
    col((u) => u.lpClass),
    col((u) => u.halfYearCycle),
    col((u) => u.lastTestDate),
    col((u) => u.nextDueDate),
    col((u) => u.lng),
    col((u) => u.lat),
    col((u) => u.supervisionCode),
    col((u) => u.supervisingOrgId),
    now,
  );
}

/** Units. */
export const unitKind: KindSpec<UnitRecord> = {
  kind: 'UNIT',
  label: '重点单位',
  slug: 'units',
  columns: [
    {
      key: 'uscc',
      header: C.uscc,
      required: true,
      example: '91330110MA0000001T',
      note: '18 位，校验位须正确；是单位的唯一标识，重复导入时按此更新',
    },
    { key: 'name', header: C.name, required: true, example: '杭州示例石化仓储有限公司', note: '单位全称' },
    {
      key: 'regionCode',
      header: C.regionCode,
      required: true,
      example: '330110',
      note: '所在县（区）的 6 位行政区划代码（GB/T 2260）',
    },
    { key: 'address', header: C.address, required: true, example: '杭州市余杭区示例路 1 号', note: '' },
    {
      key: 'category',
      header: C.category,
      required: true,
      example: '易燃易爆场所',
      note: `可填：${Object.values(LABELS.UnitCategory).join('、')}`,
    },
    {
      key: 'lpClass',
      header: C.lpClass,
      required: true,
      example: '2',
      note: '1、2 或 3（第一类/第二类/第三类防雷建筑物）',
    },
    {
      key: 'halfYearCycle',
      header: C.halfYearCycle,
      required: false,
      example: '是',
      note: '易燃易爆场所等每半年检测一次填「是」，默认「否」（每年一次）',
    },
    {
      key: 'lastTestDate',
      header: C.lastTestDate,
      required: false,
      example: '2026-04-15',
      note: '格式如 2026-04-15；据此计算下次检测日期',
    },
    { key: 'lng', header: C.lng, required: false, example: '120.3012', note: '可选' },
    { key: 'lat', header: C.lat, required: false, example: '30.4189', note: '可选' },
  ],

  parse(c, p, ctx) {
    const r = {
      uscc: f.uscc(p, C.uscc, c.uscc ?? ''),
      name: f.text(p, C.name, c.name ?? '', { required: true, max: 100 }),
      regionCode: f.region(p, C.regionCode, c.regionCode ?? '', ctx),
      address: f.text(p, C.address, c.address ?? '', { required: true, max: 200 }),
      category: f.enumValue(p, C.category, c.category ?? '', 'UnitCategory', { required: true }),
      lpClass: f.lpClass(p, C.lpClass, c.lpClass ?? ''),
      halfYearCycle: f.yesNo(p, C.halfYearCycle, c.halfYearCycle ?? '', false),
      lastTestDate: f.date(p, C.lastTestDate, c.lastTestDate ?? '', { notAfterToday: true }),
      lng: f.decimal(p, C.lng, c.lng ?? '', 73, 136),
      lat: f.decimal(p, C.lat, c.lat ?? '', 3, 54),
    };
    return p.ok ? (r as UnitRecord) : undefined;
  },

  key: (r) => ({ key: r.uscc, what: '统一社会信用代码相同' }),

  async write(tx, rows) {
    const result = { created: 0, updated: 0, unchanged: 0, rejects: [] as Array<{ row: number; reason: string }> };
    // Raw SQL on the hot path: Prisma's query compiler spends CPU per row that dominates batches
    // this size (bench/import.ts measures it); these three statements are all a 20,000-row file needs.
    const usccs = rows.map((r) => r.record.uscc);
    const existing = new Map(
      (
        await tx.$queryRawUnsafe<UnitRow[]>(`SELECT ${UNIT_COLUMNS} FROM "Unit" WHERE uscc = ANY($1::text[])`, usccs)
      ).map((u) => [u.uscc, u]),
    );
    // A different unit (other USCC) with the same name in the same region is most likely the same
    // unit typed with a wrong code: refuse rather than create a twin.
    const namesakes = new Map(
      (
        await tx.$queryRawUnsafe<Array<{ uscc: string; name: string; regionCode: string }>>(
          `SELECT uscc, name, "regionCode" FROM "Unit" WHERE name = ANY($1::text[])`,
          rows.map((r) => r.record.name),
        )
      ).map((u) => [`${u.regionCode}|${u.name}`, u.uscc]),
    );
    const toCreate: NewUnit[] = [];
    for (const { row, record: r } of rows) {
      const twin = namesakes.get(`${r.regionCode}|${r.name}`);
      if (twin && twin !== r.uscc) {
        result.rejects.push({
          row,
          reason: `【${C.name}】系统中同一地区已有同名单位（统一社会信用代码 ${twin}），请核对统一社会信用代码`,
        });
        continue;
      }
      const data = {
        name: r.name,
        regionCode: r.regionCode,
        address: r.address,
        category: r.category,
        lpClass: r.lpClass,
        halfYearCycle: r.halfYearCycle,
        lastTestDate: r.lastTestDate ?? null,
        nextDueDate: r.lastTestDate ? addMonths(r.lastTestDate, r.halfYearCycle ? 6 : 12) : null,
        lng: r.lng ?? null,
        lat: r.lat ?? null,
      };
      const current = existing.get(r.uscc);
      if (!current) {
        toCreate.push({
          ...data,
          uscc: r.uscc,
          supervisionCode: deriveSupervisionCode(r.uscc),
          supervisingOrgId: null,
        });
      } else if (differs(current, data)) {
        await tx.unit.update({ where: { id: current.id }, data });
        result.updated++;
      } else result.unchanged++;
    }
    if (toCreate.length > 0) result.created = await insertUnits(tx, toCreate);
    return result;
  },

  async *exportRows(prisma) {
    for await (const u of pages((after) =>
      prisma.unit.findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: EXPORT_PAGE }),
    )) {
      yield [
        u.uscc,
        u.name,
        u.regionCode,
        u.address,
        label('UnitCategory', u.category),
        String(u.lpClass),
        u.halfYearCycle ? '是' : '否',
        dayText(u.lastTestDate),
        u.lng === null ? '' : String(u.lng),
        u.lat === null ? '' : String(u.lat),
      ];
    }
  },
};
