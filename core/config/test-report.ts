// Test reports and testing agencies (issue #8): agency tokens, anomaly thresholds, due scans.
import { z } from 'zod';
import { cron, csvNumbers, jsonRecord, positiveInt } from './shapes';
import { setting } from './setting';

/** Test-report settings (thresholds UNCONFIRMED: configurable). */
export const testReportSettings = {
  /** JSON map from agency USCC to its API token for POST /api/test-reports. */
  apiTokens: setting(
    'TEST_REPORT_API_TOKENS',
    jsonRecord(z.string().length(18), z.string().min(16), '{"91330105MA2B000060":"至少16位的令牌"}'),
  ),
  /** R04: sites one tester may test on one day. */
  maxSitesPerDay: setting('ANOMALY_MAX_SITES_PER_DAY', positiveInt.default(3)),
  /** R04: reports one tester may sign on one day. */
  maxReportsPerDay: setting('ANOMALY_MAX_REPORTS_PER_DAY', positiveInt.default(5)),
  /** R05: fastest plausible travel between two sites (straight line, km/h). */
  maxSpeedKmh: setting('ANOMALY_MAX_SPEED_KMH', positiveInt.default(60)),
  /** R06: farthest the on-site scan may be from the unit's address (metres). */
  scanMaxDistanceM: setting('ANOMALY_SCAN_MAX_DISTANCE_M', positiveInt.default(1000)),
  /** R02: working days after issue within which a report must be uploaded (Zhejiang: 10). */
  uploadWorkingDays: setting('ANOMALY_UPLOAD_WORKING_DAYS', positiveInt.default(10)),
  /** R12: longest gap between two tests of a half-year site before it counts as tested once a year. */
  halfYearMaxGapDays: setting('ANOMALY_HALF_YEAR_MAX_GAP_DAYS', positiveInt.default(213)),
  /**
   * When the periodic-test scan runs (cron, Asia/Shanghai): reminders before the due date, overdue
   * notices and lists.
   */
  dueCron: setting('TEST_DUE_CRON', cron.default('0 9 * * *')),
  /**
   * Days before a unit's periodic test is due to remind its managers: 30 and 7 by default (LeiGuard's choice; the
   * cycle itself, yearly or half-yearly, is 《防雷减灾管理办法》 中国气象局令第24号 art. 19).
   */
  dueRemindDays: setting(
    'TEST_DUE_REMIND_DAYS',
    csvNumbers(z.number().int().min(0).max(366), { min: 1, max: 5 }).default([30, 7]),
  ),
  /**
   * The day the bureau began asking for testing plans (YYYY-MM-DD, issue #22): reports of tests
   * before it are not checked for a plan or an on-site scan (rules R13/R14). Unset: every report is.
   */
  planRequiredFrom: setting('TEST_PLAN_REQUIRED_FROM', z.iso.date({ message: '格式为 YYYY-MM-DD' }).optional()),
  /** When every testing agency's credit is evaluated for the year just ended (cron; default 2 January). */
  creditCron: setting('CREDIT_CRON', cron.default('0 3 2 1 *')),
} as const;
