// Rows of an uploaded spreadsheet, streamed: .xlsx through exceljs's WorkbookReader (first
// worksheet only), .csv through ./csv. Only the current row is held in memory, so a 20,000-row
// file costs no more than a 20-row one. Cells become trimmed strings; dates become YYYY-MM-DD.
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ValidationError } from '../errors';
import { readCsv, type SheetRow } from './csv';

export type { SheetRow } from './csv';

/** File formats an import takes. */
export type SheetFormat = 'xlsx' | 'csv';

/** Format from a file name (.xlsx / .csv), or null. */
export function formatOfFileName(name: string): SheetFormat | null {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'xlsx' ? 'xlsx' : ext === 'csv' ? 'csv' : null;
}

/** Format from a name, refusing anything else with a Chinese message. */
export function requireFormat(name: string): SheetFormat {
  const f = formatOfFileName(name);
  if (!f)
    throw new ValidationError(`不支持的文件类型：${name}（请上传 .xlsx 或 .csv 文件；旧版 .xls 请先另存为 .xlsx）`);
  return f;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Text of one exceljs cell value. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  // exceljs reads a date cell as the shown calendar date at UTC midnight.
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; formula?: unknown };
    if (Array.isArray(o.richText))
      return o.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
  }
  return '';
}

async function* readXlsx(input: Readable): AsyncGenerator<SheetRow> {
  // styles: 'cache' so date-formatted cells arrive as dates, not serial numbers.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        // row.values is 1-based (index 0 unused).
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { row: row.number, cells };
      }
      return; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError('无法读取该 Excel 文件（文件已损坏或不是 .xlsx 格式）', { cause: String(err) });
  }
}

/** Streams the rows of a spreadsheet. */
export function readSheet(input: Readable, format: SheetFormat): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? readXlsx(input) : readCsv(input);
}
