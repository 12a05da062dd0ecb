// Building blocks for notice data schemas.
import { z } from 'zod';
import { HazardLevel, HazardType, WarningLevel } from './labels';

/** Calendar day 'YYYY-MM-DD' (Asia/Shanghai). */
export const zDay = z.iso.date();
/** Instant with an explicit offset, e.g. 2025-07-15T14:30:00+08:00. */
export const zTime = z.iso.datetime({ offset: true });
/** Link target shown to people (mini-app page, dashboard). */
export const zUrl = z.url({ protocol: /^https?$/ });
/** A short single-line name. */
export const zName = z.string().trim().min(1).max(60);
/** A free-text paragraph (bounded so every channel stays under DingTalk's size limits). */
export const zText = (max = 300) => z.string().trim().min(1).max(max);
/** 统一社会信用代码 (GB 32100; the check digit is verified by core when units are imported). */
export const zUscc = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '统一社会信用代码格式不正确');
/** GB/T 2260 region code. */
export const zRegionCode = z.string().regex(/^\d{6}$/, '行政区划代码应为 6 位数字');
/** Id of a record (hazard, permit...) echoed in card callbacks. */
export const zId = z.string().trim().min(1).max(64);
/** DingTalk userId. */
export const zUserId = z.string().trim().min(1).max(64);

/** The unit a notice is about. */
export const zUnit = z.object({
  name: zName,
  uscc: zUscc.optional(),
  regionName: z.string().max(30).optional(),
  address: z.string().max(100).optional(),
});

/** A legal basis line, e.g. 《防雷减灾管理办法》第十九条. */
export const zLegalBasis = z.string().trim().min(1).max(120);

/** A card's state for its header: 「已逾期 3 天」 in red, 「已销号」 in green (words, never colour alone). */
export const zCardState = z.object({
  label: z.string().trim().min(1).max(16),
  tone: z.enum(['blue', 'red', 'orange', 'green', 'grey']),
});

/** Card status line after a decision (acknowledged, approved, closed...); buttons hide unless kept. */
export const zCardStatus = z.object({
  text: z.string().trim().min(1).max(100),
  /** Keep the buttons after this status (default: hide them). */
  actionsVisible: z.boolean().default(false),
  /** The state in a few words and its colour, shown in the card's header (issue #23). */
  state: zCardState.optional(),
});

/** The hazard a notice is about (short form). */
export const zHazardRef = z.object({
  type: HazardType.schema,
  /** Free name when type is OTHER, or a more precise name. */
  typeText: z.string().trim().max(30).optional(),
  level: HazardLevel.schema,
  description: z.string().trim().min(1).max(300).optional(),
});

/** Chinese label of a hazard reference: its free name or its type's label. */
export function hazardTypeLabel(h: { type: keyof typeof HazardType.labels; typeText?: string }): string {
  return h.typeText ?? HazardType.label(h.type);
}

/** The fields naming a lightning warning in every notice about it (issue #20). */
export const zWarningRef = z.object({
  /** ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N (GB/T 35965.1; issuer's 6-digit region code first). */
  warningId: z.string().regex(/^\d{6}[0-9A-Za-z]{0,14}_\d{14}_\d{1,3}$/, '预警编号格式不正确'),
  level: WarningLevel.schema,
  /** Issuing observatory, e.g. 杭州市余杭区气象台. */
  issuer: z.string().trim().min(1).max(30),
  issuedAt: zTime,
  validUntil: zTime,
});

/** The regions a warning covers, by name. */
export const zRegionNames = z.array(z.string().trim().min(1).max(20)).min(1).max(12);
