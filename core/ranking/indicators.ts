// The indicator system of the duty ranking (落实主体责任排名, issue #6 part 1). No public indicator
// system is published (UNCONFIRMED): the indicators follow the duties local notices confirm
// (on-time testing, on-time rectification, self-inspection, warning receipt), every weight and
// threshold comes from configuration, and the defaults below are documented in the README.
//
// For a period [S, E) (Shanghai midnights) and a unit, each indicator is a fraction f in [0, 1];
// its points are weight × f and the unit's score is round(Σ weight × f, 2). The formulas, written
// once here and computed in SQL by RANKING_SQL in core/ranking/compute.ts (commented there too):
//
//  rectificationOnTime  按期整改率   D = the unit's hazards whose deadline falls in [S, E);
//                                    f = (those closed at or before their deadline) / D; f = 1 when D = 0.
//  overdueHazards       逾期未改隐患 G, M = the unit's 一般 / 重大 hazards with deadline < E still open at E
//                                    (closedAt null or ≥ E); f = max(0, 1 − pG·G − pM·M).
//  ackTime              隐患确认时效 F = hazards found in [S, E); for each, h = hours from foundAt to the
//                                    first HazardAck (if before E); credit = min(1, max(0, 1 − h / L)), 0
//                                    when not acknowledged by E; f = Σ credit / F; f = 1 when F = 0.
//  selfInspection       码上检查完成 C = CODE inspections of the unit SUBMITTED or REVIEWED with
//                                    submittedAt in [S, E); f = min(1, C / R).
//  testingOnTime        按期检测     f = 1 when the unit's nextDueDate ≥ E (testing not due by the end of
//                                    the period) or a TestReport has its inspectionDate in [S, E); else 0.
//  warningAck           预警确认率   W = lightning warnings issued in [S, E) covering the unit's region
//                                    (same county code, or its city xxyy00, or its province xx0000);
//                                    A = those with a WarningAck for the unit; f = A / W; f = 1 when W = 0.
import type { Config } from '../config';
import { ConfigError } from '../errors';

/** Indicator keys, in display order. */
export const INDICATOR_KEYS = [
  'rectificationOnTime',
  'overdueHazards',
  'ackTime',
  'selfInspection',
  'testingOnTime',
  'warningAck',
] as const;
/** One indicator's key. */
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

/** Chinese name, default weight and what a unit should do when it loses points. */
export const INDICATORS: Record<IndicatorKey, { name: string; weight: number; advice: string }> = {
  rectificationOnTime: { name: '按期整改率', weight: 25, advice: '在整改期限内完成隐患整改并上传整改材料' },
  overdueHazards: { name: '逾期未改隐患', weight: 20, advice: '立即整改逾期隐患，重大隐患须先采取临时防护措施' },
  ackTime: { name: '隐患确认时效', weight: 10, advice: '收到隐患通知后及时点击「已知悉」确认' },
  selfInspection: { name: '码上检查完成', weight: 15, advice: '按要求完成码上检查（自查）并提交' },
  testingOnTime: { name: '按期检测', weight: 20, advice: '委托有资质的检测机构按期检测防雷装置并上传报告' },
  warningAck: { name: '预警确认率', weight: 10, advice: '收到雷电预警后及时确认并落实防御措施' },
};

/** The rules a ranking is computed with (from configuration). */
export interface RankingRules {
  weights: Record<IndicatorKey, number>;
  overdueGeneralPenalty: number;
  overdueMajorPenalty: number;
  ackLimitHours: number;
  selfInspections: number;
  bottomPercent: number;
  bottomPeriods: number;
}

/** Rules from the configuration; unknown weight keys are a configuration error. */
export function rankingRules(config: Config): RankingRules {
  const weights = Object.fromEntries(INDICATOR_KEYS.map((k) => [k, INDICATORS[k].weight])) as Record<
    IndicatorKey,
    number
  >;
  for (const [k, w] of Object.entries(config.ranking.weights)) {
    if (!(INDICATOR_KEYS as readonly string[]).includes(k)) {
      throw new ConfigError([
        { variable: 'RANKING_WEIGHTS', message: `未知的指标：${k}（可用：${INDICATOR_KEYS.join('、')}）` },
      ]);
    }
    weights[k as IndicatorKey] = w;
  }
  return {
    weights,
    overdueGeneralPenalty: config.ranking.overdueGeneralPenalty,
    overdueMajorPenalty: config.ranking.overdueMajorPenalty,
    ackLimitHours: config.ranking.ackLimitHours,
    selfInspections: config.ranking.selfInspections,
    bottomPercent: config.ranking.bottomPercent,
    bottomPeriods: config.ranking.bottomPeriods,
  };
}

/** One indicator of one unit, as readers use it. */
export interface IndicatorResult {
  /** Fraction f in [0, 1], rounded to 4 decimals. */
  f: number;
  /** Points = weight × f, rounded to 2 decimals. */
  points: number;
  /** The weight in force when the ranking was computed. */
  max: number;
  /** The counts the fraction came from (due/onTime, general/major, found, done, warnings/acked). */
  [count: string]: number;
}

/** Order of DutyRanking.indicators.counts (core/ranking/compute.ts writes them in this order). */
export const COUNT_KEYS = ['due', 'onTime', 'general', 'major', 'found', 'done', 'warnings', 'acked'] as const;

const COUNTS_OF: Record<IndicatorKey, ReadonlyArray<(typeof COUNT_KEYS)[number]>> = {
  rectificationOnTime: ['due', 'onTime'],
  overdueHazards: ['general', 'major'],
  ackTime: ['found'],
  selfInspection: ['done'],
  testingOnTime: [],
  warningAck: ['warnings', 'acked'],
};

/** The indicator columns of a DutyRanking row: arrays in INDICATOR_KEYS order, counts in COUNT_KEYS order. */
export interface StoredIndicators {
  fractions: number[];
  points: number[];
  weights: number[];
  counts: number[];
}

/** A DutyRanking row's indicator columns as one IndicatorResult per indicator. */
export function indicatorResults(row: StoredIndicators): Record<IndicatorKey, IndicatorResult> {
  const counts = Object.fromEntries(COUNT_KEYS.map((k, i) => [k, row.counts[i] ?? 0]));
  return Object.fromEntries(
    INDICATOR_KEYS.map((k, i) => [
      k,
      {
        f: row.fractions[i] ?? 0,
        points: row.points[i] ?? 0,
        max: row.weights[i] ?? 0,
        ...Object.fromEntries(COUNTS_OF[k].map((c) => [c, counts[c]])),
      },
    ]),
  ) as Record<IndicatorKey, IndicatorResult>;
}

/**
 * The indicators that cost a unit most: those below full marks, by points lost (then display
 * order), at most `n`.
 */
export function costliest(
  indicators: Record<IndicatorKey, IndicatorResult>,
  n = 3,
): Array<{ key: IndicatorKey; lost: number }> {
  return INDICATOR_KEYS.filter((k) => indicators[k].points < indicators[k].max)
    .map((k) => ({ key: k, lost: Math.round((indicators[k].max - indicators[k].points) * 100) / 100 }))
    .sort((a, b) => b.lost - a.lost || INDICATOR_KEYS.indexOf(a.key) - INDICATOR_KEYS.indexOf(b.key))
    .slice(0, n);
}
