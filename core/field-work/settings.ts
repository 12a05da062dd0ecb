// The settings of field work (issue #22), gathered once from the configuration and passed to the
// commands that need them (no module-level state).
import type { Config } from '../config';
import type { InspectionRules } from '../inspection/scan-in';
import type { PlanRules } from './file-plan';

/** Everything the field-work commands read from the configuration. */
export interface FieldWorkSettings {
  plans: PlanRules;
  inspections: InspectionRules;
  /** Scans farther than this from the unit's registered position are flagged (R06's threshold). */
  maxDistanceM: number;
  /** Working days before a report is due that the agency is reminded. */
  remindWorkingDays: number[];
}

/** The settings from a loaded configuration. */
export function fieldWorkSettings(
  c: Pick<
    Config,
    | 'AGENCY_LEVEL_CLASSES'
    | 'TEST_PLAN_MIN_TESTERS'
    | 'TEST_PLAN_STALE_DAYS'
    | 'TEST_REPORT_DUE_WORKING_DAYS'
    | 'TEST_REPORT_REMIND_WORKING_DAYS'
    | 'INSPECTION_CAP_PER_YEAR'
    | 'INSPECTION_REPEAT_WARN_DAYS'
    | 'ANOMALY_SCAN_MAX_DISTANCE_M'
  >,
): FieldWorkSettings {
  return {
    plans: {
      levelClasses: c.AGENCY_LEVEL_CLASSES,
      minTesters: c.TEST_PLAN_MIN_TESTERS,
      staleDays: c.TEST_PLAN_STALE_DAYS,
      dueWorkingDays: c.TEST_REPORT_DUE_WORKING_DAYS,
    },
    inspections: {
      caps: c.INSPECTION_CAP_PER_YEAR,
      repeatWarnDays: c.INSPECTION_REPEAT_WARN_DAYS,
      maxDistanceM: c.ANOMALY_SCAN_MAX_DISTANCE_M,
    },
    maxDistanceM: c.ANOMALY_SCAN_MAX_DISTANCE_M,
    remindWorkingDays: c.TEST_REPORT_REMIND_WORKING_DAYS,
  };
}
