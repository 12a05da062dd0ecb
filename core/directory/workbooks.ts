// The .xlsx files of directory onboarding, all written with exceljs's streaming writer: the
// template per kind (Chinese headers, a sample row, a notes sheet), the report of rejected rows
// (row number + reason), and the export (same columns as the template, so it imports again).
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { PrismaClient } from '../db';
import type { ImportSummary } from './import';
import type { ExportOptions, KindSpec } from './types';

const headerOf = (c: { header: string; required: boolean }) => (c.required ? `${c.header}*` : c.header);

function open(out: Writable): ExcelJS.stream.xlsx.WorkbookWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '雷卫 LeiGuard';
  return wb;
}

function sheetWithHeader(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  headers: string[],
  widths: number[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = headers.map((h, i) => ({ header: h, width: widths[i] ?? 18 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  return ws;
}

/** Writes the import template of a kind. */
export async function writeTemplate(kind: KindSpec<unknown>, out: Writable): Promise<void> {
  const wb = open(out);
  const ws = sheetWithHeader(
    wb,
    `${kind.label}导入模板`,
    kind.columns.map(headerOf),
    kind.columns.map((c) => Math.max(14, c.header.length * 2 + 4)),
  );
  // Every cell is text: long digit strings (mobiles, codes) must not become numbers.
  ws.columns.forEach((col) => (col.numFmt = '@'));
  ws.addRow(kind.columns.map((c) => c.example)).commit();
  ws.commit();
  const notes = sheetWithHeader(wb, '填写说明', ['列名', '是否必填', '说明', '示例'], [24, 10, 70, 26]);
  for (const c of kind.columns) notes.addRow([c.header, c.required ? '必填' : '选填', c.note, c.example]).commit();
  notes.addRow([]).commit();
  notes
    .addRow([
      '说明',
      '',
      '第 1 行为表头，请勿修改；示例行（第 2 行）导入前请删除。带 * 的列必填。也可另存为 CSV（UTF-8 或 GBK 编码均可）。',
    ])
    .commit();
  notes.commit();
  await wb.commit();
}

/** Writes the report of an import: every rejected row with its number and reasons, then a summary. */
export async function writeReport(
  kind: KindSpec<unknown>,
  summary: Pick<ImportSummary, 'fileName' | 'total' | 'created' | 'updated' | 'unchanged' | 'rejected' | 'rejects'>,
  out: Writable,
): Promise<void> {
  const wb = open(out);
  const ws = sheetWithHeader(
    wb,
    '未导入的行',
    ['行号', '原因', ...kind.columns.map((c) => c.header)],
    [8, 60, ...kind.columns.map(() => 20)],
  );
  for (const r of summary.rejects) {
    const row = ws.addRow([r.row, r.reasons.join('；'), ...r.values]);
    row.getCell(2).font = { color: { argb: 'FFC00000' } };
    row.commit();
  }
  ws.commit();
  const s = sheetWithHeader(wb, '汇总', ['项目', '数量'], [20, 12]);
  for (const [k, v] of [
    ['文件', summary.fileName],
    ['数据行', summary.total],
    ['新增', summary.created],
    ['更新', summary.updated],
    ['无变化', summary.unchanged],
    ['未导入', summary.rejected],
  ] as const) {
    s.addRow([k, v]).commit();
  }
  s.commit();
  await wb.commit();
}

/** Writes every record of a kind (mobiles and ID numbers masked unless opts.reveal); returns the row count. */
export async function writeExport(
  kind: KindSpec<unknown>,
  prisma: PrismaClient,
  opts: ExportOptions,
  out: Writable,
  onProgress?: (n: number) => void,
): Promise<number> {
  const wb = open(out);
  const ws = sheetWithHeader(
    wb,
    kind.label,
    kind.columns.map(headerOf),
    kind.columns.map(() => 20),
  );
  let n = 0;
  for await (const values of kind.exportRows(prisma, opts)) {
    ws.addRow(values).commit();
    if (++n % 1000 === 0) onProgress?.(n);
  }
  ws.commit();
  await wb.commit();
  onProgress?.(n);
  return n;
}
