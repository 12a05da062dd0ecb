// Differentiated supervision (差异化监管, issue #7 item 2): units whose credit and record qualify
// are inspected "by code" on a schedule (the unit's manager scans the sign and fills the
// checklist); every other unit stays in the 双随机 pool for on-site inspections. No public rule says
// which units qualify (UNCONFIRMED): credit grade A and a green risk code are LeiGuard's own defaults,
// configurable via CODE_INSPECTION_CREDIT_GRADES and CODE_INSPECTION_RISK_COLORS.
import type { CreditGrade, RiskColor } from '../db/generated/enums';

/** The configured rule. */
export interface DifferentiationRule {
  /** Credit grades that qualify (default A). */
  creditGrades: readonly CreditGrade[];
  /** Risk colours that qualify (default GREEN). */
  riskColors: readonly RiskColor[];
  /** Days between two code inspections of a qualifying unit. */
  intervalDays: number;
}

/** What the rule reads about a unit. */
export interface UnitRecord {
  creditLevel: CreditGrade | null;
  riskColor: RiskColor;
  /** Open hazards that are major, overdue or escalated. */
  seriousOpenHazards: number;
}

/** True when the unit is supervised by code inspections rather than by on-site draws. */
export function codeInspectionEligible(unit: UnitRecord, rule: DifferentiationRule): boolean {
  if (!unit.creditLevel || !rule.creditGrades.includes(unit.creditLevel)) return false;
  return rule.riskColors.includes(unit.riskColor) && unit.seriousOpenHazards === 0;
}

/** When a qualifying unit's next code inspection is due (now when it never had one). */
export function nextCodeInspectionDue(lastSubmittedAt: Date | null, rule: DifferentiationRule, now: Date): Date {
  if (!lastSubmittedAt) return now;
  return new Date(lastSubmittedAt.getTime() + rule.intervalDays * 86_400_000);
}
