// The .xlsx form of a warning's 叫应记录 (issue #20): the warning and its figures, one row per unit
// (how it was told, how far the ladder went, answered when, by whom, through what, regulators
// told), and one row per call made. The same content as the JSON record; times in Asia/Shanghai.
import ExcelJS from 'exceljs';
import { sheet, type Cell } from '../archive/archive-workbook';
import type { ResponseRecord } from './response-record';

// China has had no DST since 1991: a fixed UTC+8 offset is exact.
const time = (d: Date | null): string =>
  d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ') : '';

/** Column headers of the unit sheet (tests read the workbook by them). */
export const UNIT_COLUMNS = [
  '序号',
  '单位名称',
  '统一社会信用代码',
  '行政区划',
  '单位类别',
  '首次通知方式',
  '无法送达原因',
  '已叫应至',
  '最近叫应时间',
  '应答时间',
  '应答人',
  '应答方式',
  '告知监管人员时间',
  '状态',
] as const;

/** The record as .xlsx bytes. */
export async function recordWorkbook(r: ResponseRecord, generatedAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '雷卫';
  const w = r.warning;
  const s = r.summary;
  sheet(
    wb,
    '预警与统计',
    [
      ['项目', 20],
      ['内容', 70],
    ],
    [
      ['预警编号', w.id],
      ['预警级别', w.level],
      ['发布单位', w.issuer],
      ['发布时间', time(w.issuedAt)],
      ['有效期至', time(w.expiresAt)],
      ['状态', w.cancelledAt ? `${w.status}（${time(w.cancelledAt)}）` : w.status],
      ['影响区域', w.regionCodes.join('、')],
      ['预警内容', w.text],
      ['叫应步骤', w.ladder.join('；')],
      ['覆盖重点单位', s.units],
      ['已送达', s.reached],
      ['已应答', s.answered],
      ['未应答', s.silent],
      ['无法送达', s.unreachable],
      ['已告知监管人员', s.regulatorTold],
      ...Object.entries(s.answeredByCall).map(([k, v]): Cell[] => [`应答来自：${k}`, v]),
      ['导出时间', time(generatedAt)],
    ],
  );
  sheet(
    wb,
    '单位叫应情况',
    UNIT_COLUMNS.map((h, i): [string, number] => [h, [6, 30, 22, 12, 12, 20, 24, 14, 20, 20, 10, 26, 20, 10][i]!]),
    r.units.map((u, i) => [
      i + 1,
      u.name,
      u.uscc,
      u.region,
      u.category,
      u.firstLine,
      u.unreachable ?? '',
      u.lastCall,
      time(u.calledAt),
      time(u.answeredAt),
      u.answeredBy ?? '',
      u.answeredVia ?? '',
      time(u.regulatorToldAt),
      u.answeredAt ? '已应答' : u.unreachable ? '无法送达' : '未应答',
    ]),
  );
  sheet(
    wb,
    '呼叫明细',
    [
      ['单位名称', 30],
      ['呼叫', 18],
      ['方式', 18],
      ['接收人', 12],
      ['时间', 20],
      ['结果', 10],
      ['原因', 50],
    ],
    r.units.flatMap((u) => u.calls.map((c) => [u.name, c.call, c.channel, c.to, time(c.at), c.status, c.error ?? ''])),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
