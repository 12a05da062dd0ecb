// Code inspections and differentiated supervision (issue #7; thresholds UNCONFIRMED).
import { z } from 'zod';
import { cron, csvList, json, positiveInt, secret } from './shapes';

const UNIT_CATEGORIES = ['FLAMMABLE', 'CROWDED', 'ELECTRONIC', 'CULTURAL', 'MINE_SCENIC', 'TALL', 'OTHER'] as const;
import { setting } from './setting';

/** Inspection settings. */
export const inspectionSettings = {
  /** HMAC key of supervision-code QR URLs (≥ 32 chars); default: derived from the data key. */
  supervisionCodeKey: setting('SUPERVISION_CODE_KEY', secret(32).optional()),
  /** Days a printed supervision code stays valid (a sign is reprinted after that). */
  supervisionCodeTtlDays: setting('SUPERVISION_CODE_TTL_DAYS', positiveInt.max(3650).default(730)),
  /** Credit grades that qualify a unit for code inspections instead of on-site draws (UNCONFIRMED). */
  codeCreditGrades: setting(
    'CODE_INSPECTION_CREDIT_GRADES',
    csvList(z.enum(['A', 'B', 'C', 'D']), { min: 1 }).default(['A']),
  ),
  /** Risk colours that qualify a unit for code inspections (UNCONFIRMED). */
  codeRiskColors: setting(
    'CODE_INSPECTION_RISK_COLORS',
    csvList(z.enum(['GREEN', 'YELLOW', 'RED']), { min: 1 }).default(['GREEN']),
  ),
  /** Days between two code inspections of a qualifying unit. */
  codeIntervalDays: setting('CODE_INSPECTION_INTERVAL_DAYS', positiveInt.max(366).default(90)),
  /** Inspectors drawn per unit in a 双随机 draw (at least two law-enforcement officers on site). */
  drawInspectors: setting('INSPECTION_DRAW_INSPECTORS', positiveInt.max(5).default(2)),
  /** When units due a self-check get the chat self-check card (cron): before the thunderstorm season. */
  selfCheckCron: setting('SELF_CHECK_CRON', cron.default('0 9 1 3 *')),
  /** A unit that self-checked or was code-inspected within this many days is not asked again. */
  selfCheckIntervalDays: setting('SELF_CHECK_INTERVAL_DAYS', positiveInt.max(366).default(180)),
  /**
   * Regulator inspections one unit may receive per calendar year, by unit category, JSON; "*" for
   * the categories not listed (UNCONFIRMED: 国办发〔2024〕54号 asks each sector to set its caps).
   * Planning or drawing one beyond the cap needs a reason and is shown to the leaders (issue #22).
   */
  capPerYear: setting(
    'INSPECTION_CAP_PER_YEAR',
    json(
      z
        .partialRecord(z.enum(['*', ...UNIT_CATEGORIES]), z.number().int().min(0).max(365))
        .refine((m) => m['*'] !== undefined)
        .transform((m) => m as Record<string, number> & { '*': number }),
      '{"*":2,"FLAMMABLE":4}',
      `必须是 JSON 对象：键为 "*"（必填，其余类别）或单位类别 ${UNIT_CATEGORIES.join('、')}，值为每年次数，如 {"*":2,"FLAMMABLE":4}`,
    ),
  ),
  /** Two inspections of one unit by different bureaus within this many days warn both (issue #22). */
  repeatWarnDays: setting('INSPECTION_REPEAT_WARN_DAYS', positiveInt.max(365).default(30)),
} as const;
