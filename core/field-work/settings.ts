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
}

/** The settings from a loaded configuration. */
export function fieldWorkSettings(c: Pick<Config, 'fieldWork' | 'inspection' | 'testReport'>): FieldWorkSettings {
  return {
    plans: {
      levelClasses: c.fieldWork.levelClasses,
      minTesters: c.fieldWork.planMinTesters,
      staleDays: c.fieldWork.planStaleDays,
      dueWorkingDays: c.fieldWork.reportDueWorkingDays,
    },
    inspections: {
      caps: c.inspection.capPerYear,
      repeatWarnDays: c.inspection.repeatWarnDays,
      maxDistanceM: c.testReport.scanMaxDistanceM,
    },
    maxDistanceM: c.testReport.scanMaxDistanceM,
  };
}
