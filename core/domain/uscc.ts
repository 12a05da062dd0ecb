// 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters =
// 登记管理部门代码 (1) + 机构类别代码 (1) + 登记管理机关行政区划码 (6, GB/T 2260) + 主体标识码 (9) + 校验码 (1).
// Check digit: characters map to 0..30 in the 31-character set below (no I, O, S, V, Z); weights
// 3^i mod 31; check = (31 - Σ mod 31) mod 31, as GB 32100-2015 defines the check character.

/** The 31 characters a USCC may contain, in value order. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Why a code is not a valid USCC (stable codes for programs). */
export type UsccProblem = 'LENGTH' | 'CHARSET' | 'REGION' | 'CHECK_DIGIT';

/** Check character for the first 17 characters (which must be in the charset). */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('need the first 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]!);
    if (v < 0) throw new RangeError(`invalid USCC character: ${first17[i]}`);
    sum += v * WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** Normalises user input: trims, upper-cases, drops inner spaces. */
export function normalizeUscc(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** Returns the problem with a (normalised) code, or null when it is valid. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'LENGTH';
  for (const ch of code) if (!USCC_CHARSET.includes(ch)) return 'CHARSET';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'REGION';
  return usccCheckChar(code.slice(0, 17)) === code[17] ? null : 'CHECK_DIGIT';
}

/** True when `code` is a well-formed USCC with a correct check digit. */
export function isValidUscc(code: string): boolean {
  return usccProblem(code) === null;
}

/** Chinese explanation of a problem, for people. */
export function usccProblemText(p: UsccProblem): string {
  switch (p) {
    case 'LENGTH':
      return '统一社会信用代码应为 18 位';
    case 'CHARSET':
      return '统一社会信用代码含有非法字符（不使用 I、O、S、V、Z）';
    case 'REGION':
      return '统一社会信用代码第 3–8 位应为行政区划代码';
    case 'CHECK_DIGIT':
      return '统一社会信用代码校验位不正确';
  }
}

/**
 * Builds a valid, fictional USCC for demo and test data: department (default '9' 工商) + kind
 * (default '1' 企业) + region + "MA" + `seq` in base 31 (7 chars) + check digit.
 */
export function generateUscc(regionCode: string, seq: number, opts: { dept?: string; kind?: string } = {}): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`region code must be 6 digits: ${regionCode}`);
  if (!Number.isInteger(seq) || seq < 0 || seq >= 31 ** 7) throw new RangeError(`seq out of range: ${seq}`);
  let body = '';
  for (let i = 0, v = seq; i < 7; i++, v = Math.floor(v / 31)) body = USCC_CHARSET[v % 31] + body;
  const first17 = `${opts.dept ?? '9'}${opts.kind ?? '1'}${regionCode}MA${body}`;
  return first17 + usccCheckChar(first17);
}
