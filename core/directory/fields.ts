// Cell parsers for directory imports. Each returns the parsed value or undefined, and adds the
// Chinese reason to the row's list when a cell is bad, so one row reports all its problems.
import { normalizeMobile } from '../crypto';
import { LABELS, type LabelledEnum } from '../domain/labels';
import { idNumberProblem, normalizeIdNumber } from '../domain/id-number';
import { isRegionCode } from '../domain/region';
import { normalizeUscc, usccProblem, usccProblemText } from '../domain/uscc';
import { shanghaiDate, startOfShanghaiDay } from '../domain/working-days';

/** The reasons collected for one row, each prefixed with its column's header. */
export class RowProblems {
  readonly reasons: string[] = [];
  add(header: string, reason: string): void {
    this.reasons.push(`【${header}】${reason}`);
  }
  get ok(): boolean {
    return this.reasons.length === 0;
  }
}

/** Facts a row is checked against (loaded once per import). */
export interface FieldContext {
  /** Region codes that exist (Region table), retired ones included. */
  regions: ReadonlySet<string>;
  /** Codes that left the national data set (merged or renamed): code -> name. */
  retired?: ReadonlyMap<string, string>;
  /** The installation's province (PROVINCE_CODE): regions elsewhere are refused. */
  province?: { code: string; name: string };
}

/**
 * Full-width digits, letters and signs (１３８…, ＡＢ, －) as their ASCII forms, as an IME or a
 * copied web page writes them: only for codes, numbers and dates, never names (a company name's
 * full-width brackets are part of the name).
 */
export function halfWidth(v: string): string {
  return v.normalize('NFKC');
}

/** A required or optional text cell (empty → undefined). */
export function text(
  p: RowProblems,
  header: string,
  v: string,
  opts: { required?: boolean; max?: number } = {},
): string | undefined {
  const s = v.trim();
  if (!s) {
    if (opts.required) p.add(header, '不能为空');
    return undefined;
  }
  if (opts.max && [...s].length > opts.max) {
    p.add(header, `不能超过 ${opts.max} 个字`);
    return undefined;
  }
  return s;
}

/** 统一社会信用代码 with its check character. */
export function uscc(p: RowProblems, header: string, v: string, required = true): string | undefined {
  const s = text(p, header, halfWidth(v), { required });
  if (s === undefined) return undefined;
  const code = normalizeUscc(s);
  const problem = usccProblem(code);
  if (problem) {
    p.add(header, `${usccProblemText(problem)}：${s}`);
    return undefined;
  }
  return code;
}

/**
 * A 6-digit region code that exists in the Region table, is current and (unless `anyProvince`: an
 * agency may come from another province) lies in the installation's province.
 */
export function region(
  p: RowProblems,
  header: string,
  v: string,
  ctx: FieldContext,
  required = true,
  anyProvince = false,
): string | undefined {
  const cell = text(p, header, halfWidth(v), { required });
  if (cell === undefined) return undefined;
  // 「330110 余杭区」 as the template's drop-down offers it, or the bare code.
  const s = /^(\d{6})\s+\S/.exec(cell)?.[1] ?? cell;
  if (!isRegionCode(s)) {
    p.add(header, `行政区划代码应为 6 位数字：${s}`);
    return undefined;
  }
  if (!ctx.regions.has(s)) {
    p.add(header, `行政区划代码不存在：${s}（请用现行的 6 位代码；可用 npx leiguard regions list 查询）`);
    return undefined;
  }
  const retired = ctx.retired?.get(s);
  if (retired !== undefined) {
    p.add(header, `行政区划代码 ${s}（${retired}）已撤销或变更，请改用现行代码`);
    return undefined;
  }
  if (ctx.province && !anyProvince && s.slice(0, 2) !== ctx.province.code.slice(0, 2)) {
    p.add(header, `行政区划代码 ${s} 不属于本系统所辖的${ctx.province.name}（PROVINCE_CODE=${ctx.province.code}）`);
    return undefined;
  }
  return s;
}

/** A mainland mobile number, normalised (no +86, no separators). */
export function mobile(p: RowProblems, header: string, v: string, required = true): string | undefined {
  const s = text(p, header, halfWidth(v), { required });
  if (s === undefined) return undefined;
  const m = normalizeMobile(s);
  if (!m) p.add(header, '手机号格式不正确（应为 11 位中国大陆手机号）');
  return m ?? undefined;
}

/** A resident ID number (optional), check character verified. */
export function idNumber(p: RowProblems, header: string, v: string): string | undefined {
  const s = text(p, header, halfWidth(v));
  if (s === undefined) return undefined;
  const id = normalizeIdNumber(s);
  const problem = idNumberProblem(id);
  if (problem) {
    p.add(header, problem);
    return undefined;
  }
  return id;
}

const stripParens = (s: string) => s.replace(/[（(].*?[）)]/g, '').trim();

/** An enum value given as its Chinese label (with or without the part in brackets) or its code. */
export function enumValue<K extends LabelledEnum>(
  p: RowProblems,
  header: string,
  v: string,
  kind: K,
  opts: { required?: boolean; allowed?: ReadonlyArray<keyof (typeof LABELS)[K]> } = {},
): keyof (typeof LABELS)[K] | undefined {
  const s = text(p, header, v, { required: opts.required });
  if (s === undefined) return undefined;
  const table = LABELS[kind] as Record<string, string>;
  const allowed = (opts.allowed as string[] | undefined) ?? Object.keys(table);
  const found = allowed.find(
    (k) => k === s.toUpperCase() || table[k] === s || stripParens(table[k]!) === stripParens(s),
  );
  if (!found) {
    p.add(header, `无法识别「${s}」，可填：${allowed.map((k) => stripParens(table[k]!)).join('、')}`);
    return undefined;
  }
  return found as keyof (typeof LABELS)[K];
}

/** Several enum values separated by 、，, ; or spaces. */
export function enumList<K extends LabelledEnum>(
  p: RowProblems,
  header: string,
  v: string,
  kind: K,
  opts: { required?: boolean; allowed?: ReadonlyArray<keyof (typeof LABELS)[K]> } = {},
): Array<keyof (typeof LABELS)[K]> | undefined {
  const s = text(p, header, v, { required: opts.required });
  if (s === undefined) return undefined;
  const out: Array<keyof (typeof LABELS)[K]> = [];
  const before = p.reasons.length;
  for (const part of s.split(/[、，,;；/\s]+/).filter(Boolean)) {
    const e = enumValue(p, header, part, kind, { required: true, allowed: opts.allowed });
    if (e !== undefined && !out.includes(e)) out.push(e);
  }
  return p.reasons.length === before ? out : undefined;
}

/** Lightning-protection class 1/2/3 (also 一类, 第二类...). */
export function lpClass(p: RowProblems, header: string, v: string): number | undefined {
  const s = text(p, header, halfWidth(v), { required: true });
  if (s === undefined) return undefined;
  const m = /^第?([123一二三])类?(防雷建筑物)?$/.exec(s);
  const n = m ? ({ '1': 1, '2': 2, '3': 3, 一: 1, 二: 2, 三: 3 } as Record<string, number>)[m[1]!] : undefined;
  if (!n) p.add(header, `防雷类别应为 1、2 或 3（第一类/第二类/第三类）：${s}`);
  return n;
}

/** 是/否 (also Y/N, true/false, 1/0); empty → `fallback`. */
export function yesNo(p: RowProblems, header: string, v: string, fallback: boolean): boolean {
  const s = v.trim().toLowerCase();
  if (!s) return fallback;
  if (['是', 'y', 'yes', 'true', '1'].includes(s)) return true;
  if (['否', 'n', 'no', 'false', '0'].includes(s)) return false;
  p.add(header, `应填「是」或「否」：${v.trim()}`);
  return fallback;
}

/** A calendar date (2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, 20240501) → midnight Asia/Shanghai. */
export function date(
  p: RowProblems,
  header: string,
  v: string,
  opts: { required?: boolean; notAfterToday?: boolean } = {},
): Date | undefined {
  const s = text(p, header, halfWidth(v), { required: opts.required });
  if (s === undefined) return undefined;
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(s);
  const y = m ? Number(m[1]) : NaN;
  const mo = m ? Number(m[2] ?? m[4]) : NaN;
  const d = m ? Number(m[3] ?? m[5]) : NaN;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (!m || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || y < 1900) {
    p.add(header, `日期无效（格式如 2024-05-01）：${s}`);
    return undefined;
  }
  const day = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (opts.notAfterToday && day > shanghaiDate(new Date())) {
    p.add(header, `日期不能晚于今天：${s}`);
    return undefined;
  }
  return startOfShanghaiDay(day);
}

/** A decimal number within [min, max] (optional). */
export function decimal(p: RowProblems, header: string, v: string, min: number, max: number): number | undefined {
  const s = text(p, header, halfWidth(v));
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max) {
    p.add(header, `应为 ${min} 到 ${max} 之间的数字：${s}`);
    return undefined;
  }
  return n;
}
