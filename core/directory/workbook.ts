// One workbook for the whole directory: `leiguard import-template` writes it (a sheet per kind:
// 机构、单位、人员、监管人员、检测机构、检测人员, header comments saying how to fill each column, an
// example row, drop-down lists for the coded columns, the region codes of the installation's
// province), and `leiguard import <workbook>` reads it back sheet by sheet. Sheets are imported in
// the order of KINDS whatever their order in the file (a unit's people need the unit), and
// supervising bureaus are resolved after each one (./supervision.ts), so units and bureaus may
// come in any order. Loaded whole (not streamed) because merged cells and formulas, which an
// import must refuse, are only known once the sheet has been read to its end.
import type { Readable, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { LABELS } from '../domain/labels';
import { ValidationError } from '../errors';
import { nationalRegions } from '../regions/national';
import { KINDS } from './kinds';
import { cellText, type SheetRow } from './read-rows';
import type { KindSpec } from './types';

/** Sheet names (besides each kind's label and slug) that name a kind. */
const ALIASES: Record<string, string> = {
  机构: 'bureaus',
  气象局: 'bureaus',
  监管机构: 'bureaus',
  单位: 'units',
  重点单位: 'units',
  人员: 'people',
  单位人员: 'people',
  监管人员: 'regulators',
  执法人员: 'regulators',
  检测机构: 'agencies',
  检测人员: 'testers',
};
/** Helper sheets of the template, skipped on import. */
const HELPER_SHEETS = new Set(['填写说明', '代码表']);

/** A kind's sheet read from a workbook, with what makes some rows unusable. */
export interface WorkbookSheet {
  kind: KindSpec<unknown>;
  name: string;
  rows: SheetRow[];
  /** Row number → reasons (merged cells, formulas) the import adds to the row's own. */
  problems: Map<number, string[]>;
}

/** The kind a sheet name stands for, or undefined. */
export function kindOfSheet(name: string): KindSpec<unknown> | undefined {
  const n = name.trim();
  const slug = ALIASES[n] ?? n;
  return KINDS.find((k) => k.slug === slug || k.label === n);
}

const colName = (n: number): string => {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

/** Reads every kind's sheet (in import order); refuses a workbook with a sheet it cannot place. */
export async function readWorkbook(input: Readable): Promise<WorkbookSheet[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.read(input);
  } catch (err) {
    throw new ValidationError('无法读取该 Excel 文件（文件已损坏或不是 .xlsx 格式）', { cause: String(err) });
  }
  const unknown = wb.worksheets.filter((ws) => !HELPER_SHEETS.has(ws.name) && !kindOfSheet(ws.name));
  if (unknown.length > 0)
    throw new ValidationError(
      `工作簿中的工作表「${unknown.map((w) => w.name).join('」「')}」无法识别：工作表名应为 ${KINDS.map((k) => k.label).join('、')}` +
        '（可用 npx leiguard import-template 生成模板）。未导入任何数据',
      { sheets: unknown.map((w) => w.name) },
    );
  const sheets: WorkbookSheet[] = [];
  for (const ws of wb.worksheets) {
    const kind = kindOfSheet(ws.name);
    if (!kind) continue;
    if (sheets.some((s) => s.kind === kind))
      throw new ValidationError(`工作簿中有两个「${kind.label}」工作表，请合并为一个。未导入任何数据`);
    const rows: SheetRow[] = [];
    const problems = new Map<number, string[]>();
    let header: string[] | undefined;
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: string[] = [];
      const reasons: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = cellText(cell.value);
        const column = header?.[col - 1] || `${colName(col)} 列`;
        if (cell.isMerged) reasons.push(`【${column}】${cell.address} 是合并单元格：请取消合并，并在每一行填写完整`);
        else if (cell.formula || cell.type === ExcelJS.ValueType.Formula)
          reasons.push(
            `【${column}】${cell.address} 是公式（=${cell.formula ?? ''}）：请复制后「选择性粘贴 → 数值」再导入`,
          );
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= '';
      if (!header) {
        if (reasons.length > 0)
          throw new ValidationError(
            `「${ws.name}」工作表的表头（第 1 行）有合并单元格或公式，请使用模板的表头。未导入任何数据`,
          );
        header = cells.map((h) => h.replace(/[*＊\s]/g, ''));
      } else if (reasons.length > 0) problems.set(number, reasons);
      rows.push({ row: number, cells });
    });
    sheets.push({ kind, name: ws.name, rows, problems });
  }
  if (sheets.length === 0)
    throw new ValidationError(`工作簿中没有可导入的工作表（应为 ${KINDS.map((k) => k.label).join('、')}）`);
  return sheets.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
}

/** Drop-down choices of a column: a short inline list, or a range of the 代码表 sheet. */
function choicesOf(kind: KindSpec<unknown>, key: string): string[] | 'regions' | 'provinces' | undefined {
  const roles = (r: Array<keyof typeof LABELS.PersonRole>) => r.map((x) => LABELS.PersonRole[x]);
  if (key === 'category') return Object.values(LABELS.UnitCategory);
  if (key === 'lpClass') return ['1', '2', '3'];
  if (key === 'halfYearCycle') return ['是', '否'];
  if (key === 'level') return Object.values(LABELS.AgencyLevel);
  if (key === 'creditGrade') return ['A', 'B', 'C', 'D'];
  if (key === 'homeProvince') return 'provinces';
  if (key === 'regionCode' || key === 'orgRegion') return 'regions';
  if (key === 'roles')
    return kind.slug === 'regulators'
      ? roles(['REGULATOR', 'LEADER', 'ADMIN'])
      : roles(['UNIT_MANAGER', 'LEGAL_REP', 'AGENCY_STAFF']);
  return undefined;
}

/** Rows of the template that get drop-downs and text format. */
const TEMPLATE_ROWS = 2000;

/**
 * Writes the workbook template: one sheet per kind with commented headers, an example row and
 * drop-downs; `provinceCode` (PROVINCE_CODE) limits the region list to that province.
 */
export async function writeWorkbookTemplate(out: Writable, opts: { provinceCode?: string } = {}): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '雷卫 LeiGuard';
  const prefix = opts.provinceCode?.slice(0, 2);
  const all = nationalRegions();
  const regions = all.filter((r) => !prefix || r.code.startsWith(prefix));
  const provinces = all.filter((r) => r.level === 'PROVINCE');

  const notes = wb.addWorksheet('填写说明');
  for (const kind of KINDS) {
    const ws = wb.addWorksheet(kind.label, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = kind.columns.map((c) => ({
      header: c.required ? `${c.header}*` : c.header,
      width: Math.max(14, c.header.length * 2 + 6),
      style: { numFmt: '@' }, // text: long digit strings (mobiles, codes) must not become numbers
    }));
    const head = ws.getRow(1);
    head.font = { bold: true };
    kind.columns.forEach((c, i) => {
      head.getCell(i + 1).note =
        `${c.required ? '必填。' : '选填。'}${c.note}${c.example ? `\n示例：${c.example}` : ''}`;
    });
    ws.addRow(kind.columns.map((c) => exampleFor(c.key, c.example, regions)));
    kind.columns.forEach((c, i) => {
      const choices = choicesOf(kind, c.key);
      if (!choices) return;
      const formula =
        choices === 'regions'
          ? `代码表!$A$2:$A$${regions.length + 1}`
          : choices === 'provinces'
            ? `代码表!$B$2:$B$${provinces.length + 1}`
            : `"${choices.join(',')}"`;
      for (let r = 2; r <= TEMPLATE_ROWS; r++)
        ws.getCell(r, i + 1).dataValidation = {
          type: 'list',
          allowBlank: !c.required,
          formulae: [formula],
          // Roles may list several (「重点单位负责人、法定代表人」): warn, do not block.
          showErrorMessage: c.key !== 'roles',
          errorStyle: c.key === 'roles' ? 'information' : 'stop',
          errorTitle: c.header,
          error: `请从下拉列表中选择${c.header}`,
        };
    });
  }
  const codes = wb.addWorksheet('代码表', { state: 'hidden' });
  codes.addRow(['行政区划（代码 名称）', '省级区划']);
  const rows = Math.max(regions.length, provinces.length);
  for (let i = 0; i < rows; i++) {
    const r = regions[i];
    const p = provinces[i];
    codes.addRow([r ? `${r.code} ${r.name}` : '', p ? `${p.code} ${p.name}` : '']);
  }
  notes.columns = [
    { header: '工作表', width: 14 },
    { header: '说明', width: 100 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const line of [
    [
      '全部',
      '每个工作表第 1 行为表头，请勿修改；第 2 行是示例，导入前请删除或改成真实数据。带 * 的列必填。鼠标停在表头上可看该列的填写说明。',
    ],
    [
      '全部',
      '有下拉箭头的列请从列表中选择；行政区划可选「330110 余杭区」，也可只填 6 位代码。不要合并单元格，不要用公式。',
    ],
    ['全部', '各表可以按任意顺序填写和导入：单位的监管机构按行政区划自动确定，先导入单位、后导入机构也可以。'],
    ['人员', '重点单位负责人、法定代表人、检测机构人员；「所属单位统一社会信用代码」填其单位或检测机构的代码。'],
    ['监管人员', '执法人员、分管领导；所在机构不存在时自动创建。'],
    ['检测人员', '填写资格证书编号和有效期；证书过期的人员不能列入检测计划。'],
    ['导入', 'npx leiguard import <本文件.xlsx>：逐行校验，导入报告总会写出；有未导入的行时退出码为 1。'],
  ])
    notes.addRow(line);
  await wb.xlsx.write(out);
}

/** The example row's cell: region columns as「代码 名称」from the installation's province. */
function exampleFor(
  key: string,
  example: string,
  regions: Array<{ code: string; name: string; level: string }>,
): string {
  if ((key === 'regionCode' || key === 'orgRegion') && regions.length > 0 && !regions.some((r) => r.code === example)) {
    const county = regions.find((r) => r.level === 'COUNTY') ?? regions[0]!;
    return `${county.code} ${county.name}`;
  }
  return example;
}

/** The report of a workbook import: per sheet its rejected rows (行号, 原因, cells), then a summary. */
export async function writeWorkbookReport(
  parts: Array<{
    kind: KindSpec<unknown>;
    summary: {
      total: number;
      created: number;
      updated: number;
      unchanged: number;
      rejected: number;
      rejects: Array<{ row: number; reasons: string[]; values: string[] }>;
    };
  }>,
  out: Writable,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '雷卫 LeiGuard';
  const sum = wb.addWorksheet('汇总');
  sum.columns = ['工作表', '数据行', '新增', '更新', '无变化', '未导入'].map((h) => ({ header: h, width: 12 }));
  sum.getRow(1).font = { bold: true };
  for (const { kind, summary: s } of parts) {
    sum.addRow([kind.label, s.total, s.created, s.updated, s.unchanged, s.rejected]);
    const ws = wb.addWorksheet(`${kind.label}未导入的行`);
    ws.columns = [
      { header: '行号', width: 8 },
      { header: '原因', width: 60 },
      ...kind.columns.map((c) => ({ header: c.header, width: 20 })),
    ];
    ws.getRow(1).font = { bold: true };
    for (const r of s.rejects) {
      const row = ws.addRow([r.row, r.reasons.join('；'), ...r.values]);
      row.getCell(2).font = { color: { argb: 'FFC00000' } };
    }
  }
  await wb.xlsx.write(out);
}
