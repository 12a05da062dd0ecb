// Testing agencies' field work (issue #22; 浙里防雷安全: a plan before the test, a scan on site, the
// report through the platform within a deadline). Defaults UNCONFIRMED where the text says so.
import { z } from 'zod';
import { csvNumbers, json, positiveInt } from './shapes';
import { setting } from './setting';

const classes = z.array(z.number().int().min(1).max(3));

/** Field-work settings. */
export const fieldWorkSettings = {
  /**
   * Lightning-protection classes each qualification may test (中国气象局令第31号: 甲级 classes 1–3,
   * 乙级 class 3 only), JSON: qualification (A = 甲级, B = 乙级) → classes.
   */
  levelClasses: setting(
    'AGENCY_LEVEL_CLASSES',
    json(z.object({ A: classes, B: classes }), '{"A":[1,2,3],"B":[3]}', '必须是 JSON 对象，如 {"A":[1,2,3],"B":[3]}'),
  ),
  /** Testers a plan names at least (QX/T 317 score sheets: fewer than 2 on site is 一票否决). */
  planMinTesters: setting('TEST_PLAN_MIN_TESTERS', positiveInt.max(10).default(2)),
  /** Days after its date that a plan never started on site stops holding the unit against other agencies. */
  planStaleDays: setting('TEST_PLAN_STALE_DAYS', positiveInt.max(90).default(7)),
  /** Working days after the field record (or, without one, the planned date) the report is due (Zhejiang: 10). */
  reportDueWorkingDays: setting('TEST_REPORT_DUE_WORKING_DAYS', positiveInt.max(60).default(10)),
  /** Working days before a report is due that the agency is reminded (the scan runs on TEST_DUE_CRON). */
  reportRemindWorkingDays: setting(
    'TEST_REPORT_REMIND_WORKING_DAYS',
    csvNumbers(z.number().int().min(0).max(30), { min: 1, max: 5 }).default([3, 1]),
  ),
} as const;
