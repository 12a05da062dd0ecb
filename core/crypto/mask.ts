// Masks for showing personal data to people and in logs.

/** 13812341234 -> 138****1234; anything not a mainland mobile -> "****" (never echo unknown input). */
export function maskMobile(mobile: string | null | undefined): string {
  if (!mobile) return '';
  const d = mobile.replace(/[\s\-()]/g, '').replace(/^(\+86|0086)/, '');
  return /^1\d{10}$/.test(d) ? `${d.slice(0, 3)}****${d.slice(7)}` : '****';
}

/** 18-digit resident ID: keep the 6-digit region and the last 4 (330102********123X). */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return '';
  const s = id.trim().toUpperCase();
  if (/^\d{17}[\dX]$/.test(s)) return `${s.slice(0, 6)}********${s.slice(14)}`;
  if (/^\d{15}$/.test(s)) return `${s.slice(0, 6)}*****${s.slice(11)}`;
  return '****';
}

/** 张三 -> 张*, 欧阳娜娜 -> 欧**娜. */
export function maskName(name: string | null | undefined): string {
  if (!name) return '';
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
