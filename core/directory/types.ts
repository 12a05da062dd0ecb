// Shapes shared by the directory import kinds (units, people, agencies, regulators).
import type { DataKey } from '../crypto';
import type { DirectoryKind, PrismaClient, Tx } from '../db';
import type { FieldContext, RowProblems } from './fields';

/** One column of a kind's template (and of its export). */
export interface ColumnSpec {
  key: string;
  /** Chinese header; the template marks required columns with a trailing *. */
  header: string;
  required: boolean;
  /** Example cell for the template's sample row. */
  example: string;
  /** How to fill it (template notes sheet). */
  note: string;
}

/** A row that passed its checks, with its spreadsheet row number. */
export interface ValidRow<R> {
  row: number;
  record: R;
}

/** What writing one batch did. Rows the database refuses (duplicates against it) come back as rejects. */
export interface WriteResult {
  created: number;
  updated: number;
  unchanged: number;
  rejects: Array<{ row: number; reason: string }>;
  /** Extra facts for the batch's audit event (never personal data). */
  audit?: Record<string, unknown>;
}

/** What a kind's writer gets besides the rows. */
export interface WriteContext {
  dataKey: DataKey;
  importId: string;
}

/** Options of an export. */
export interface ExportOptions {
  dataKey: DataKey;
  /** Show mobiles and ID numbers in clear (only for callers allowed to see them). */
  reveal: boolean;
}

/** One importable kind: its columns, row parser, in-file key, batch writer and export. */
export interface KindSpec<R> {
  kind: DirectoryKind;
  /** Chinese name, e.g. 重点单位. */
  label: string;
  /** Command-line / URL name, e.g. units. */
  slug: string;
  columns: readonly ColumnSpec[];
  /** Parses one row (cells by column key); problems go to `p`. */
  parse(cells: Readonly<Record<string, string>>, p: RowProblems, ctx: FieldContext): R | undefined;
  /** Natural key for duplicates within a file, and how to name it to a person. */
  key(r: R): { key: string; what: string };
  /** Upserts a batch inside the caller's transaction; re-writing the same rows changes nothing. */
  write(tx: Tx, rows: Array<ValidRow<R>>, ctx: WriteContext): Promise<WriteResult>;
  /** Rows for an export, in column order, page by page. */
  exportRows(prisma: PrismaClient, opts: ExportOptions): AsyncIterable<string[]>;
}
