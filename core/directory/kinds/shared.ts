// Helpers the kinds share: date cells for export, change detection, paged export.
import { shanghaiDate } from '../../domain/working-days';

/** YYYY-MM-DD (Asia/Shanghai) of a stored calendar date, or ''. */
export function dayText(d: Date | null | undefined): string {
  return d ? shanghaiDate(d) : '';
}

/** True when any field of `next` differs from `current` (dates by instant, arrays by content). */
export function differs(current: Record<string, unknown>, next: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) continue;
    const c = current[k];
    if (v instanceof Date || c instanceof Date) {
      if ((c as Date | null)?.getTime?.() !== (v as Date | null)?.getTime?.()) return true;
    } else if (Array.isArray(v)) {
      if (!Array.isArray(c) || [...c].sort().join('\u0000') !== [...v].sort().join('\u0000')) return true;
    } else if ((c ?? null) !== (v ?? null)) return true;
  }
  return false;
}

/** Pages through a table by id so an export never holds more than one page. */
export async function* pages<T extends { id: string }>(
  fetch: (after: string | undefined) => Promise<T[]>,
): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const rows = await fetch(after);
    yield* rows;
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Page size of exports. */
export const EXPORT_PAGE = 1000;
