// 居民身份证号码 (GB 11643-1999): 6-digit region + 8-digit birth date + 3-digit sequence + check
// character. Check: Σ(a_i · 2^(17-i) mod 11) over the first 17 digits, then "10X98765432"[Σ mod 11].

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Normalises input: trims, drops spaces, upper-cases the final x. */
export function normalizeIdNumber(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** Check character of the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('need 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** Chinese reason why an (normalised) 18-character ID number is invalid, or null when valid. */
export function idNumberProblem(id: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为 18 位（最后一位可为 X）';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now()) {
    return '身份证号中的出生日期无效';
  }
  return idNumberCheckChar(id.slice(0, 17)) === id[17] ? null : '身份证号校验位不正确';
}
