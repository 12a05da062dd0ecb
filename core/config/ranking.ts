// Duty ranking (落实主体责任排名, issue #6). No public document defines its indicator system (UNCONFIRMED):
// every weight and threshold is a setting with a documented default.
import { z } from 'zod';
import { cron, jsonRecord, positiveInt } from './shapes';
import { setting } from './setting';

/** Duty-ranking settings. */
export const rankingSettings = {
  /** Ranking period: month ("2026-10") or quarter ("2026-Q4"). */
  period: setting('RANKING_PERIOD', z.enum(['month', 'quarter']).default('month')),
  /** When the ranking of the last complete period is computed and published (cron, Asia/Shanghai). */
  cron: setting('RANKING_CRON', cron.default('30 8 1 * *')),
  /** Indicator weights (points); keys from core/ranking/indicators.ts, missing keys keep their default. */
  weights: setting('RANKING_WEIGHTS', jsonRecord(z.string(), z.number().min(0).max(100), '{"rectificationOnTime":25}')),
  /** Share of the overdue-hazards indicator lost per 一般隐患 open past its deadline. */
  overdueGeneralPenalty: setting('RANKING_OVERDUE_GENERAL_PENALTY', z.coerce.number().min(0).max(1).default(0.25)),
  /** Share of the overdue-hazards indicator lost per 重大隐患 open past its deadline. */
  overdueMajorPenalty: setting('RANKING_OVERDUE_MAJOR_PENALTY', z.coerce.number().min(0).max(1).default(0.5)),
  /** Acknowledging a hazard after this many hours earns no points for it. */
  ackLimitHours: setting('RANKING_ACK_LIMIT_HOURS', z.coerce.number().positive().default(72)),
  /** 码上检查 self-inspections a unit is expected to complete per period. */
  selfInspections: setting('RANKING_SELF_INSPECTIONS', positiveInt.default(1)),
  /** The last floor(total × N %) places of a group are its bottom group. */
  bottomPercent: setting('RANKING_BOTTOM_PERCENT', z.coerce.number().gt(0).max(50).default(10)),
  /** Bottom places in a row that trigger 提醒 (and, the next time, an interview proposal). */
  bottomPeriods: setting('RANKING_BOTTOM_PERIODS', positiveInt.max(12).default(2)),
  /** Rows at the top and at the bottom of a leader's table. */
  leaderRows: setting('RANKING_LEADER_ROWS', positiveInt.max(20).default(5)),
} as const;
