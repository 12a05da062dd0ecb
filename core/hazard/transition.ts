// One place where a hazard changes state: optimistic version check, audit event (who, when, what,
// through which channel, before and after), risk code recomputation and timer rescheduling, all in
// the caller's transaction (issue #4 parts 6, 7 and 9).
import type { ApprovalTimerOffsets } from '../approval/timer-offsets';
import type { CardSubject } from '../effects';
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import type { Hazard, HazardStatus } from '../db/generated/client';
import { ConflictError, NotFoundError } from '../errors';
import { recomputeRiskCode } from '../risk/risk-code';
import { DEFAULT_PLAN_SETTINGS, syncHazardTimers } from './schedule';

/** Where a command came from (recorded in the audit event). */
export type Via = 'card' | 'miniapp' | 'chat' | 'timer' | 'api' | 'approval' | 'inspection' | 'test-report';

/** Statuses in which the unit still has to act. */
export const OPEN_STATUSES: readonly HazardStatus[] = ['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED'];

/** Options every hazard command takes. */
export interface CommandOptions {
  publicBaseUrl: string;
  via: Via;
  now?: Date;
  /** Offsets of the timers of approval steps a command starts (config.approval); default DEFAULT_TIMER_OFFSETS. */
  approvalTimers?: ApprovalTimerOffsets;
}

/** The cards of a hazard, refreshed after a command changed it (its verify cards come with it). */
export function hazardCards(hazardId: string): CardSubject[] {
  return [{ subjectType: 'hazard', subjectId: hazardId }];
}

/** Loads a hazard or throws HAZARD_NOT_FOUND. */
export async function loadHazard(tx: Tx, hazardId: string): Promise<Hazard> {
  const h = await tx.hazard.findUnique({ where: { id: hazardId } });
  if (!h) throw new NotFoundError('HAZARD_NOT_FOUND', '该隐患不存在或已被删除');
  return h;
}

/** A change to apply. `reschedule` = the deadline or the rectification state changed. */
export interface HazardChange {
  status?: HazardStatus;
  deadline?: Date;
  closedAt?: Date | null;
  reschedule: boolean;
}

/** What the audit event says about the change. */
export interface ChangeAudit {
  action: string;
  actorPersonId?: string | null;
  /** Extra facts (ids, reasons). */
  data?: Record<string, unknown>;
}

/**
 * Applies a change to `before` (as read in this transaction). Throws HAZARD_CHANGED when someone
 * else changed the hazard meanwhile (a concurrent duplicate click), so nothing happens twice.
 * Returns the updated hazard and the deliveries the risk code queued.
 */
export async function changeHazard(
  tx: Tx,
  before: Hazard,
  change: HazardChange,
  audit: ChangeAudit,
  opts: CommandOptions,
): Promise<{ hazard: Hazard; deliveryIds: string[] }> {
  const now = opts.now ?? new Date();
  const res = await tx.hazard.updateMany({
    where: { id: before.id, version: before.version },
    data: {
      ...(change.status ? { status: change.status } : {}),
      ...(change.deadline ? { deadline: change.deadline } : {}),
      ...(change.closedAt !== undefined ? { closedAt: change.closedAt } : {}),
      version: { increment: 1 },
      ...(change.reschedule ? { scheduleVersion: { increment: 1 } } : {}),
    },
  });
  if (res.count !== 1) throw new ConflictError('HAZARD_CHANGED', '该隐患刚刚被其他人处理过，请查看最新状态');
  const hazard = await tx.hazard.findUniqueOrThrow({ where: { id: before.id } });
  await appendAudit(tx, {
    actorKind: audit.actorPersonId ? 'PERSON' : 'SYSTEM',
    actorPersonId: audit.actorPersonId ?? null,
    action: audit.action,
    subjectType: 'hazard',
    subjectId: hazard.id,
    data: {
      via: opts.via,
      before: { status: before.status, deadline: before.deadline.toISOString() },
      after: { status: hazard.status, deadline: hazard.deadline.toISOString() },
      ...audit.data,
    },
  });
  const risk = await recomputeRiskCode(tx, hazard.unitId, {
    now,
    publicBaseUrl: opts.publicBaseUrl,
    actorPersonId: audit.actorPersonId,
  });
  // Every hazard keeps its plan from its filing (or from the start-up's storeMissingPlans); only a
  // row written outside fileHazard has none and takes the defaults.
  if (change.reschedule) await syncHazardTimers(tx, hazard, now, DEFAULT_PLAN_SETTINGS);
  return { hazard, deliveryIds: risk.deliveryIds };
}
