// What the abnormal-report rules (anomaly-rules.ts) read and report.
import type { Measurement, ReportInput } from './report-input';

/** Rule codes (labels in templates/labels.ts AnomalyRule). */
export type AnomalyCode =
  | 'R01'
  | 'R02'
  | 'R03'
  | 'R04'
  | 'R05'
  | 'R06'
  | 'R07'
  | 'R08'
  | 'R09'
  | 'R10'
  | 'R11'
  | 'R12'
  | 'R13'
  | 'R14';

/** One rule hit with its evidence. */
export interface AnomalyHit {
  code: AnomalyCode;
  /** Chinese, one line, shown to the regulator. */
  message: string;
  details?: Record<string, unknown>;
}

/** Configurable thresholds (core/config.ts ANOMALY_*). */
export interface AnomalyThresholds {
  maxSitesPerDay: number;
  maxReportsPerDay: number;
  maxSpeedKmh: number;
  scanMaxDistanceM: number;
  uploadWorkingDays: number;
  halfYearMaxGapDays: number;
  /**
   * R13/R14 look only at tests on or after this day (TEST_PLAN_REQUIRED_FROM: when the bureau
   * began asking for plans; earlier tests had none to file). Unset: every report.
   */
  planRequiredFrom?: string;
}

/** Another report signed on the same day by one of this report's testers. */
export interface SameDayReport {
  reportNo: string;
  testerIds: string[];
  unitId: string;
  /** Where and when the tester scanned on site (or the unit's address when no scan). */
  lat: number | null;
  lng: number | null;
  scanAt: Date | null;
}

/** Everything the rules look at. */
export interface RuleContext {
  now: Date;
  thresholds: AnomalyThresholds;
  report: ReportInput;
  agency: { level: 'A' | 'B'; certValidUntil: Date };
  /** The signing testers as found on record (ids not found are absent). */
  testers: Array<{ id: string; name: string; agencyId: string; certValidUntil: Date }>;
  agencyId: string;
  unit: { id: string; lat: number | null; lng: number | null; lpClass: number; halfYearCycle: boolean };
  sameDay: SameDayReport[];
  /** Photos of this report already used in other reports. */
  reusedPhotos: Array<{ hash: string; reportNo: string }>;
  /** The unit's latest report tested before this one. */
  previous: { reportNo: string; inspectionDate: Date; measurements: Measurement[] } | null;
  /** The report's testing plan (core/field-work/plan-report.ts), null when the agency filed none. */
  plan: { plannedDate: string; fieldRecord: boolean } | null;
}
