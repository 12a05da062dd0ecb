// GB/T 2260 region codes: xx0000 province, xxyy00 city (地级), xxyyzz county (县级).
// Caveat: 省直辖县级行政单位 (e.g. 429004) and 直辖市 districts follow the same digits but not
// always the same parents; Zhejiang (330000) has none of those.
import type { RegionLevel } from '../db/generated/enums';

/** True for a 6-digit region code. */
export function isRegionCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/** Level of a code from its digits. */
export function regionLevelOf(code: string): RegionLevel {
  if (!isRegionCode(code)) throw new RangeError(`not a GB/T 2260 code: ${code}`);
  if (code.endsWith('0000')) return 'PROVINCE';
  if (code.endsWith('00')) return 'CITY';
  return 'COUNTY';
}

/** Parent code by the digits (county -> city, city -> province, province -> null). */
export function parentRegionCode(code: string): string | null {
  switch (regionLevelOf(code)) {
    case 'PROVINCE':
      return null;
    case 'CITY':
      return `${code.slice(0, 2)}0000`;
    case 'COUNTY':
      return `${code.slice(0, 4)}00`;
  }
}

/** The province and city a code belongs to (the code itself at its own level). */
export function regionAncestors(code: string): { province: string; city: string | null } {
  const level = regionLevelOf(code);
  return { province: `${code.slice(0, 2)}0000`, city: level === 'PROVINCE' ? null : `${code.slice(0, 4)}00` };
}

/**
 * Whether a warning issued for `warningCode` (the issuer's GB/T 2260 code) covers a unit in `unitRegionCode`:
 * the same code, or the warning is for the unit's city (xxyy00) or province (xx0000). LeiGuard's own rule; no
 * public rule states it.
 */
export function regionMatches(warningCode: string, unitRegionCode: string): boolean {
  if (!isRegionCode(warningCode) || !isRegionCode(unitRegionCode)) return false;
  if (warningCode === unitRegionCode) return true;
  switch (regionLevelOf(warningCode)) {
    case 'PROVINCE':
      return unitRegionCode.startsWith(warningCode.slice(0, 2));
    case 'CITY':
      return unitRegionCode.startsWith(warningCode.slice(0, 4));
    case 'COUNTY':
      return false;
  }
}

/** True when any of the warning's codes covers the unit. */
export function anyRegionMatches(warningCodes: readonly string[], unitRegionCode: string): boolean {
  return warningCodes.some((c) => regionMatches(c, unitRegionCode));
}

/**
 * Prefix for a SQL/Prisma `startsWith` filter selecting every unit a code covers
 * ("33" for 330000, "3301" for 330100, the full code for a county).
 */
export function regionPrefix(code: string): string {
  switch (regionLevelOf(code)) {
    case 'PROVINCE':
      return code.slice(0, 2);
    case 'CITY':
      return code.slice(0, 4);
    case 'COUNTY':
      return code;
  }
}

/** Parts of a national warning id ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N (GB/T 35965.1). */
export interface WarningIdParts {
  /** 6-digit GB/T 2260 code of the issuing station's area. */
  regionCode: string;
  /** Issue time (Beijing time in the id). */
  issuedAt: Date;
  seq: number;
}

/** Parses a national warning id; null if malformed. */
export function parseWarningId(id: string): WarningIdParts | null {
  const m = /^(\d{6})[0-9A-Za-z]{8}_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_(\d+)$/.exec(id);
  if (!m) return null;
  const [, region, y, mo, d, h, mi, s, seq] = m;
  const issuedAt = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
  if (Number.isNaN(issuedAt.getTime())) return null;
  return { regionCode: region!, issuedAt, seq: Number(seq) };
}
