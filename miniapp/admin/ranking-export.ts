// Excel export of a duty ranking (issue #6 part 3) for the bureau's own reports, written with
// exceljs: one row per unit, by county, category, rank and USCC, with every indicator's points.
import ExcelJS from 'exceljs';
import type { PrismaClient } from '../../core/db';
import { LABELS } from '../../core/domain/labels';
import { INDICATOR_KEYS, INDICATORS, indicatorResults } from '../../core/ranking/indicators';
import { parsePeriod, periodLabel } from '../../core/ranking/period';
import { rankingRows } from '../../core/ranking/rows';

/** Builds the workbook of a period (optionally one jurisdiction); returns the .xlsx bytes. */
export async function rankingWorkbook(
  prisma: PrismaClient,
  periodKey: string,
  regionCode?: string,
): Promise<{ buffer: Buffer; rows: number }> {
  const p = parsePeriod(periodKey);
  const rows = await rankingRows(prisma, { period: p.key, region: regionCode, order: 'group' });
  const wb = new ExcelJS.Workbook();
  wb.creator = '雷卫';
  const ws = wb.addWorksheet(`${periodLabel(p)}排名`);
  ws.columns = [
    { header: '行政区划代码', key: 'regionCode', width: 12 },
    { header: '县（区）', key: 'region', width: 12 },
    { header: '单位类别', key: 'category', width: 18 },
    { header: '组内名次', key: 'rank', width: 9 },
    { header: '组内单位数', key: 'total', width: 10 },
    { header: '单位名称', key: 'name', width: 36 },
    { header: '统一社会信用代码', key: 'uscc', width: 22 },
    { header: '得分', key: 'score', width: 8 },
    ...INDICATOR_KEYS.map((k) => ({ header: `${INDICATORS[k].name}`, key: k, width: 12 })),
    { header: '排名靠后', key: 'bottom', width: 9 },
    { header: '连续靠后期数', key: 'consecutiveBottom', width: 12 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const ind = indicatorResults(r);
    ws.addRow({
      regionCode: r.regionCode,
      region: r.regionName,
      category: LABELS.UnitCategory[r.category],
      rank: r.rank,
      total: r.total,
      name: r.unitName,
      uscc: r.uscc,
      score: r.score,
      ...Object.fromEntries(INDICATOR_KEYS.map((k) => [k, ind[k].points])),
      bottom: r.bottom ? '是' : '否',
      consecutiveBottom: r.consecutiveBottom,
    });
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, rows: rows.length };
}
