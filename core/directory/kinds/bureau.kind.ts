// 机构 import: the meteorological bureaus (气象主管机构) and their jurisdictions, natural key =
// region code + name. The parent bureau is the one named in the row, else the bureau of the parent
// region; a bureau imported before its parent gets it when the parent arrives (./supervision.ts).
import type { RegulatorOrg } from '../../db/generated/client';
import * as f from '../fields';
import type { KindSpec, WriteResult } from '../types';
import { differs, EXPORT_PAGE, pages } from './shared';

/** A parsed bureau row. */
export interface BureauRecord {
  name: string;
  regionCode: string;
  parentName?: string;
}

const C = { name: '机构名称', regionCode: '管辖行政区划代码', parentName: '上级机构名称' } as const;

/** Bureaus (气象主管机构). */
export const bureauKind: KindSpec<BureauRecord> = {
  kind: 'BUREAU',
  label: '机构',
  slug: 'bureaus',
  columns: [
    { key: 'name', header: C.name, required: true, example: '杭州市余杭区气象局', note: '气象主管机构全称' },
    {
      key: 'regionCode',
      header: C.regionCode,
      required: true,
      example: '330110',
      note: '管辖区域的 6 位行政区划代码（省、市或县级）；该区域的重点单位由其监管',
    },
    {
      key: 'parentName',
      header: C.parentName,
      required: false,
      example: '杭州市气象局',
      note: '可选；不填时为上级行政区的气象局（上级机构可在本表后面的行或以后再导入）',
    },
  ],

  parse(c, p, ctx) {
    const r = {
      name: f.text(p, C.name, c.name ?? '', { required: true, max: 100 }),
      regionCode: f.region(p, C.regionCode, c.regionCode ?? '', ctx),
      parentName: f.text(p, C.parentName, c.parentName ?? '', { max: 100 }),
    };
    return p.ok ? (r as BureauRecord) : undefined;
  },

  key: (r) => ({ key: `${r.regionCode}|${r.name}`, what: '机构名称和行政区划代码相同' }),

  async write(tx, rows) {
    const result: WriteResult = { created: 0, updated: 0, unchanged: 0, rejects: [] };
    const existing = await tx.regulatorOrg.findMany({
      where: { OR: rows.map((r) => ({ regionCode: r.record.regionCode, name: r.record.name })) },
      orderBy: { createdAt: 'asc' },
    });
    const byKey = new Map<string, RegulatorOrg>();
    for (const o of existing) if (!byKey.has(`${o.regionCode}|${o.name}`)) byKey.set(`${o.regionCode}|${o.name}`, o);
    for (const { row, record: r } of rows) {
      let parentId: string | null | undefined; // undefined = leave as is (resolved later)
      if (r.parentName) {
        const parents = await tx.regulatorOrg.findMany({ where: { name: r.parentName }, select: { id: true } });
        if (parents.length !== 1) {
          result.rejects.push({
            row,
            reason:
              parents.length === 0
                ? `【${C.parentName}】系统中没有名为「${r.parentName}」的机构，请先导入上级机构或不填此列`
                : `【${C.parentName}】系统中有 ${parents.length} 个名为「${r.parentName}」的机构，无法确定是哪一个，请不填此列`,
          });
          continue;
        }
        parentId = parents[0]!.id;
      }
      const current = byKey.get(`${r.regionCode}|${r.name}`);
      if (!current) {
        const o = await tx.regulatorOrg.create({
          data: { name: r.name, regionCode: r.regionCode, parentId: parentId ?? null },
        });
        byKey.set(`${r.regionCode}|${r.name}`, o);
        result.created++;
      } else if (parentId !== undefined && differs(current, { parentId })) {
        await tx.regulatorOrg.update({ where: { id: current.id }, data: { parentId } });
        result.updated++;
      } else result.unchanged++;
    }
    return result;
  },

  async *exportRows(prisma) {
    for await (const o of pages((after) =>
      prisma.regulatorOrg.findMany({
        where: after ? { id: { gt: after } } : {},
        orderBy: { id: 'asc' },
        take: EXPORT_PAGE,
        include: { parent: { select: { name: true } } },
      }),
    )) {
      yield [o.name, o.regionCode, o.parent?.name ?? ''];
    }
  },
};
