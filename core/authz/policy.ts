// The one policy table: which role may do which action, and over what (its scope). Every HTTP API
// names its action in its route (miniapp/authz), and the middleware checks it here, so adding an
// endpoint means adding (or reusing) a row, never writing a role check in a handler.
//
// Scopes: 'all' anything; 'self' the person's own data (no resource); 'unit' resources of the
// person's own unit; 'jurisdiction' resources of units in the region of the person's regulator
// org (an org's region covers its sub-regions, core/domain/region regionMatches); 'agency'
// resources of the person's testing agency.
import type { PersonRole } from '../db/generated/enums';

/** How far a role's grant reaches. */
export type ScopeKind = 'all' | 'self' | 'unit' | 'jurisdiction' | 'agency';

/** One action's grants: role → scope. A role not listed may not do the action. */
export type Grants = Partial<Record<PersonRole, ScopeKind>>;

const UNIT_SIDE: Grants = { UNIT_MANAGER: 'unit', LEGAL_REP: 'unit' };
const REGULATORS: Grants = { REGULATOR: 'jurisdiction' };
const READERS: Grants = { ...UNIT_SIDE, REGULATOR: 'jurisdiction', LEADER: 'jurisdiction' };
const EVERYONE: Grants = {
  UNIT_MANAGER: 'self',
  LEGAL_REP: 'self',
  REGULATOR: 'self',
  LEADER: 'self',
  AGENCY_STAFF: 'self',
  ADMIN: 'self',
};
const ADMIN_ONLY: Grants = { ADMIN: 'all' };

/**
 * The policy. Keys are `<resource>.<verb>`; keep them stable (audit events and tests name them).
 * Rows without a route yet are the actions the hazard loop (#4) builds next.
 */
export const POLICY = {
  'me.read': EVERYONE,
  'me.settings': EVERYONE,
  // A card's action on its mini-app page (cards that need no template, #19): the command behind
  // it checks role and record exactly as a click on the card does.
  'card.act': EVERYONE,
  'upload.create': { UNIT_MANAGER: 'self', LEGAL_REP: 'self', REGULATOR: 'self', AGENCY_STAFF: 'self' },
  'hazard.list': READERS,
  'hazard.view': READERS,
  'hazard.ack': UNIT_SIDE,
  'hazard.rectify': { UNIT_MANAGER: 'unit' },
  'hazard.extend': { UNIT_MANAGER: 'unit' },
  'hazard.verify': REGULATORS,
  'hazard.file': REGULATORS,
  'unit.view': READERS,
  // Regulators look units of their jurisdiction up (the 「登记隐患」 page picks the unit with it).
  'unit.search': REGULATORS,
  'unit.archive.export': { ...UNIT_SIDE, REGULATOR: 'jurisdiction' },
  'test-report.submit': { AGENCY_STAFF: 'agency' },
  // Regulators review the reports of their jurisdiction (anomaly hits, QX/T 317 quality); leaders read them.
  'test-report.view': { REGULATOR: 'jurisdiction', LEADER: 'jurisdiction' },
  'test-report.review': REGULATORS,
  // Code inspections and the mini-app's overview pages (issue #7).
  // A testing agency's staff see their agency's open plans among their to-dos.
  'task.list': { ...READERS, AGENCY_STAFF: 'agency' },
  'inspection.start': { ...UNIT_SIDE, REGULATOR: 'jurisdiction' },
  'inspection.view': READERS,
  'inspection.submit': { ...UNIT_SIDE, REGULATOR: 'jurisdiction' },
  'draw.create': REGULATORS,
  'draw.view': { REGULATOR: 'jurisdiction', LEADER: 'jurisdiction' },
  'dashboard.view': { REGULATOR: 'jurisdiction', LEADER: 'jurisdiction' },
  // A regulator enters or lifts a lightning warning for regions of their jurisdiction (checked
  // per region code by core/warning).
  'warning.issue': REGULATORS,
  'warning.cancel': REGULATORS,
  // A warning's 「收到」 page and answer (issue #20): units it covers; its live counts and 叫应记录:
  // regulators and leaders whose jurisdiction it touches (units outside it left out).
  'warning.view': READERS,
  'warning.ack': UNIT_SIDE,
  'warning.record': { REGULATOR: 'jurisdiction', LEADER: 'jurisdiction' },
  // Approvals (#5): everyone lists their own applications and tasks; the engine itself checks that
  // a decider is an approver of the current step and that a withdrawal comes from the applicant.
  'approval.list': EVERYONE,
  'approval.view': READERS,
  'approval.decide': { REGULATOR: 'jurisdiction', LEADER: 'jurisdiction' },
  'approval.withdraw': { UNIT_MANAGER: 'unit' },
  // 催办 (#21): the applicant nudges the current step's approvers (the engine checks it is them).
  'approval.nudge': { UNIT_MANAGER: 'unit' },
  // 委托 (#21): regulators and leaders name a deputy of their own bureau for their approvals.
  'delegation.manage': { REGULATOR: 'self', LEADER: 'self' },
  /** Applying for a site-configured approval (permits have permit.apply). */
  'approval.apply': { UNIT_MANAGER: 'unit' },
  'permit.apply': { UNIT_MANAGER: 'unit' },
  // Duty ranking and interviews (#6): published rankings for the jurisdiction, a unit's own detail;
  // the interview page for both sides; the regulator records the outcome, the unit closes tasks.
  'ranking.list': { REGULATOR: 'jurisdiction', LEADER: 'jurisdiction' },
  'ranking.view': READERS,
  'interview.view': READERS,
  'interview.record': REGULATORS,
  'interview.task.complete': UNIT_SIDE,
  // The summoned unit confirms or asks to reschedule; the regulator answers with a new time (#21:
  // the to-dos of those tasks open the interview page).
  'interview.respond': UNIT_SIDE,
  'interview.schedule': REGULATORS,
  // Testing agencies' field work and inspections that respect enterprises (issue #22): an agency's
  // staff file and follow their own plans (the agency's system files through its API token) and
  // start them on site; the unit's people and the regulators read them; regulators plan inspections.
  'test-plan.file': { AGENCY_STAFF: 'agency' },
  'test-plan.submit': { AGENCY_STAFF: 'agency' },
  'test-plan.list': { AGENCY_STAFF: 'agency' },
  'test-plan.view': { ...READERS, AGENCY_STAFF: 'agency' },
  'test-plan.start': { AGENCY_STAFF: 'agency' },
  'inspection.plan': REGULATORS,
  'admin.deliveries.read': ADMIN_ONLY,
  'admin.queues': ADMIN_ONLY,
  'admin.checklists.edit': ADMIN_ONLY,
  'admin.rankings.compute': ADMIN_ONLY,
  'admin.rankings.read': ADMIN_ONLY,
  // Directory onboarding (issue #9): imports, templates, reports, exports; reveal = clear mobiles
  // and ID numbers in an export (audited).
  'admin.imports.create': ADMIN_ONLY,
  'admin.imports.read': ADMIN_ONLY,
  'admin.directory.export': ADMIN_ONLY,
  'admin.directory.reveal': ADMIN_ONLY,
} as const satisfies Record<string, Grants>;

/** Every action an API can name. */
export type Action = keyof typeof POLICY;

/**
 * Actions machine clients call with their API token instead of a person's session: a testing
 * agency's system (config TEST_REPORT_API_TOKENS) acts as AGENCY_STAFF of that agency.
 */
export const TOKEN_ACTIONS: ReadonlySet<Action> = new Set<Action>(['test-report.submit', 'test-plan.submit']);

/** True for a known action (for input that names one, e.g. a test's table). */
export function isAction(s: string): s is Action {
  return Object.hasOwn(POLICY, s);
}

/** The grants of an action. */
export function grantsOf(action: Action): Grants {
  return POLICY[action];
}

/** The scopes the roles give for an action (empty: not allowed at all). */
export function scopeKindsFor(action: Action, roles: readonly PersonRole[]): ScopeKind[] {
  const grants: Grants = POLICY[action];
  const kinds = new Set<ScopeKind>();
  for (const r of roles) {
    const k = grants[r];
    if (k) kinds.add(k);
  }
  return [...kinds];
}
