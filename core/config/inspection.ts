// Code inspections and differentiated supervision (issue #7; thresholds UNCONFIRMED).
import { z } from 'zod';
import { cron, csvList, positiveInt, secret } from './shapes';
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
} as const;
