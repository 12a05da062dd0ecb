// Imports one spreadsheet of a kind: checks every row (all its problems at once), rejects
// duplicates within the file and against the database, upserts the rest by natural key in
// batches (each batch one transaction with its audit event), and records the run with its
// rejected rows in DirectoryImport, from which the report is built. Re-importing the same file
// changes nothing and writes no audit event.
import { appendAudit } from '../audit';
import type { DataKey } from '../crypto';
import type { DirectoryKind, PrismaClient } from '../db';
import { ValidationError } from '../errors';
import { RowProblems, type FieldContext } from './fields';
import type { SheetRow } from './read-rows';
import { resolveSupervision, type SupervisionResolved } from './supervision';
import type { KindSpec, ValidRow } from './types';

/** A rejected row: spreadsheet row number, Chinese reasons, and its cells in template column order. */
export interface RejectedRow {
  row: number;
  reasons: string[];
  values: string[];
}

/** Outcome of an import. */
export interface ImportSummary {
  id: string;
  kind: DirectoryKind;
  fileName: string;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejects: RejectedRow[];
  /** Supervising and parent bureaus filled in after the import (units, bureaus and regulators). */
  resolved?: SupervisionResolved;
}

/** Kinds after whose import supervising bureaus are resolved again (./supervision.ts). */
const RESOLVES_SUPERVISION: ReadonlySet<DirectoryKind> = new Set(['UNIT', 'BUREAU', 'REGULATOR']);

/** What an import needs. */
export interface ImportOptions {
  prisma: PrismaClient;
  kind: KindSpec<unknown>;
  rows: AsyncIterable<SheetRow>;
  fileName: string;
  dataKey: DataKey;
  /** Who imports (CLI user, admin user name), recorded on the run and in the audit trail. */
  actor?: string;
  /** Rows per transaction (default 1000). */
  batchSize?: number;
  /** Called with the number of data rows read so far. */
  onProgress?: (rowsRead: number) => void;
  /** The installation's province (PROVINCE_CODE): rows naming regions elsewhere are refused. */
  provinceCode?: string;
  /** Reasons found outside the cells' values (merged cells, formulas), by row: such rows are refused. */
  rowProblems?: ReadonlyMap<number, readonly string[]>;
}

const normHeader = (h: string) => h.replace(/[*＊\s]/g, '').replace(/[（(].*?[）)]/g, '');

/** Maps header cells to the kind's column keys; throws when a required column is missing. */
export function mapHeader(kind: KindSpec<unknown>, header: string[]): number[] {
  const cells = header.map(normHeader);
  const index = kind.columns.map((c) => cells.findIndex((h) => h === c.header || h === c.key));
  const missing = kind.columns.filter((c, i) => c.required && index[i]! < 0).map((c) => c.header);
  if (missing.length > 0) {
    throw new ValidationError(
      `表头缺少必填列：${missing.join('、')}。请使用「${kind.label}」导入模板的表头（第 1 行）`,
      { missing },
    );
  }
  return index;
}

/** Runs an import; see the file comment. */
export async function importDirectory(opts: ImportOptions): Promise<ImportSummary> {
  const { prisma, kind } = opts;
  const batchSize = opts.batchSize ?? 1000;
  // The run is recorded once the header is known good: a file that is not a spreadsheet of this
  // kind at all leaves no row behind.
  let run: { id: string } | undefined;
  const summary: ImportSummary = {
    id: '',
    kind: kind.kind,
    fileName: opts.fileName,
    total: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    rejects: [],
  };
  try {
    const regions = await prisma.region.findMany({ select: { code: true, name: true, retiredAt: true } });
    const province = opts.provinceCode ? regions.find((r) => r.code === opts.provinceCode) : undefined;
    const ctx: FieldContext = {
      regions: new Set(regions.map((r) => r.code)),
      retired: new Map(regions.filter((r) => r.retiredAt).map((r) => [r.code, r.name])),
      province: opts.provinceCode ? { code: opts.provinceCode, name: province?.name ?? opts.provinceCode } : undefined,
    };
    const seen = new Map<string, number>(); // natural key -> first row with it
    let index: number[] | undefined;
    let batch: Array<ValidRow<unknown> & { values: string[] }> = [];
    let batchNo = 0;

    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      batchNo++;
      const res = await prisma.$transaction(
        async (tx) => {
          const r = await kind.write(tx, rows, { dataKey: opts.dataKey, importId: run!.id });
          if (r.created + r.updated > 0 || r.audit) {
            await appendAudit(tx, {
              actorKind: 'SYSTEM',
              action: 'directory.imported',
              subjectType: 'directoryImport',
              subjectId: run!.id,
              data: {
                kind: kind.kind,
                batch: batchNo,
                rows: [rows[0]!.row, rows[rows.length - 1]!.row],
                created: r.created,
                updated: r.updated,
                actor: opts.actor ?? null,
                ...r.audit,
              },
            });
          }
          return r;
        },
        { maxWait: 60_000, timeout: 120_000 },
      );
      summary.created += res.created;
      summary.updated += res.updated;
      summary.unchanged += res.unchanged;
      const byRow = new Map(rows.map((r) => [r.row, r.values]));
      for (const rej of res.rejects)
        summary.rejects.push({ row: rej.row, reasons: [rej.reason], values: byRow.get(rej.row) ?? [] });
      opts.onProgress?.(summary.total);
    };

    for await (const { row, cells } of opts.rows) {
      if (cells.every((c) => c === '')) continue;
      if (!index) {
        index = mapHeader(kind, cells);
        run = await prisma.directoryImport.create({
          data: { kind: kind.kind, fileName: opts.fileName, actor: opts.actor ?? null },
        });
        summary.id = run.id;
        continue;
      }
      summary.total++;
      const values = index.map((i) => (i >= 0 ? (cells[i] ?? '') : ''));
      const byKey: Record<string, string> = {};
      kind.columns.forEach((c, i) => (byKey[c.key] = values[i]!));
      const p = new RowProblems();
      p.reasons.push(...(opts.rowProblems?.get(row) ?? []));
      const record = kind.parse(byKey, p, ctx);
      if (record !== undefined) {
        const { key, what } = kind.key(record);
        const first = seen.get(key);
        if (first !== undefined) p.reasons.push(`与第 ${first} 行重复（${what}）`);
        else seen.set(key, row);
      }
      if (!p.ok || record === undefined) {
        summary.rejects.push({ row, reasons: p.reasons, values });
        continue;
      }
      batch.push({ row, record, values });
      if (batch.length >= batchSize) await flush();
    }
    if (!index || !run) throw new ValidationError('文件是空的：没有表头，也没有数据');
    await flush();
    if (RESOLVES_SUPERVISION.has(kind.kind)) {
      const importId = run.id;
      summary.resolved = await prisma.$transaction(async (tx) => {
        const r = await resolveSupervision(tx);
        if (r.units + r.bureaus > 0) {
          await appendAudit(tx, {
            actorKind: 'SYSTEM',
            action: 'directory.supervision-resolved',
            subjectType: 'directoryImport',
            subjectId: importId,
            data: { units: r.units, bureaus: r.bureaus, actor: opts.actor ?? null },
          });
        }
        return r;
      });
    }
    summary.rejects.sort((a, b) => a.row - b.row);
    summary.rejected = summary.rejects.length;
    opts.onProgress?.(summary.total);
    await prisma.directoryImport.update({
      where: { id: run.id },
      data: {
        status: 'DONE',
        total: summary.total,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
        rejects: summary.rejects as unknown as object,
        finishedAt: new Date(),
      },
    });
    return summary;
  } catch (err) {
    if (!run) throw err;
    await prisma.directoryImport.update({
      where: { id: run.id },
      data: { status: 'FAILED', error: err instanceof Error ? err.message : String(err), finishedAt: new Date() },
    });
    throw err;
  }
}
