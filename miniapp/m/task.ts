// A 「我的待办」 entry and what the sources of entries read (task-sources.ts, tasks.route.ts).
import type { Scope } from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import type { DifferentiationRule } from '../../core/inspection/supervision-rule';
import type { AuthzState } from '../authz';

/** One to-do entry. */
export interface Task {
  kind: 'hazard' | 'approval' | 'interview' | 'warning' | 'inspection' | 'plan' | 'test';
  id: string;
  /** What it is about (unit, project, warning area), shown first. */
  subject: string;
  title: string;
  detail: string;
  due: string | null;
  late: boolean;
  /** Whole days past `due` (0 when not late). */
  lateDays: number;
  /** Escalated to the higher authority (hazards). */
  escalated: boolean;
  href: string | null;
}

/** A task as a source finds it, before its lateness in days is worked out. */
export type Draft = Omit<Task, 'lateDays' | 'escalated'> & { escalated?: boolean };

/** What every source reads: the database, who asks, what they may see, and the time. */
export interface TaskContext {
  p: PrismaClient;
  me: AuthzState['person'];
  scope: Scope;
  t: Date;
  /** The person belongs to a unit they act for. */
  isUnit: boolean;
  rule: DifferentiationRule;
  /** Days before a periodic test is due that its unit is reminded (TEST_DUE_REMIND_DAYS). */
  testDueRemindDays: number[];
}
