// What happens when a hazard's timers fire (issue #4 parts 3 and 4): reminders before the deadline,
// the overdue notice at the deadline (managers, legal representative, responsible regulators), and
// the escalation after the configured overdue period (status ESCALATED + audit `hazard.escalated`,
// which the ranking-and-interview issue #6 reads). Each runs in the timer's transaction and does
// nothing when the hazard's schedule has moved on since the timer was set.
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import type { Hazard } from '../db/generated/client';
import { shanghaiDate } from '../domain/working-days';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';
import { hazardStatusData, hazardStatusNotices } from './decision-data';
import { hazardLinks } from './notice-data';
import { responsibleRegulators, unitPeople } from './people';
import { changeHazard } from './transition';

/** Context of a firing timer. */
export interface DeadlineEventContext {
  now: Date;
  publicBaseUrl: string;
}

/** Result: deliveries to dispatch, and whether the hazard changed (its cards need a refresh). */
export interface DeadlineEventResult {
  deliveryIds: string[];
  changed: boolean;
}

const NOTHING: DeadlineEventResult = { deliveryIds: [], changed: false };

async function current(tx: Tx, hazardId: string, version: unknown): Promise<Hazard | null> {
  const h = await tx.hazard.findUnique({ where: { id: hazardId }, include: { unit: true } });
  if (!h || h.scheduleVersion !== version) return null;
  return h;
}

async function shortData(tx: Tx, h: Hazard) {
  const unit = await tx.unit.findUniqueOrThrow({
    where: { id: h.unitId },
    include: { region: true, supervisingOrg: true },
  });
  const filer = h.filedById ? await tx.person.findUnique({ where: { id: h.filedById }, include: { org: true } }) : null;
  return {
    hazardId: h.id,
    unit: { name: unit.name, regionName: unit.region?.name ?? undefined },
    hazard: { type: h.type, level: h.grade, description: h.description.slice(0, 300) },
    deadline: shanghaiDate(h.deadline),
    issuer: (filer?.org?.name ?? unit.supervisingOrg?.name ?? '气象主管机构').slice(0, 40),
  };
}

/** A reminder before the deadline, to the unit's managers (none once the rectification is in). */
export async function remindHazard(
  tx: Tx,
  hazardId: string,
  data: { version?: unknown; offset?: unknown },
  ctx: DeadlineEventContext,
): Promise<DeadlineEventResult> {
  const h = await current(tx, hazardId, data.version);
  if (!h || (h.status !== 'PENDING' && h.status !== 'FIXING')) return NOTHING;
  const { managers } = await unitPeople(tx, h.unitId);
  const links = hazardLinks(ctx.publicBaseUrl, h.id);
  const daysLeft = Math.max(
    0,
    Math.round(
      (Date.parse(`${shanghaiDate(h.deadline)}T00:00:00Z`) - Date.parse(`${shanghaiDate(ctx.now)}T00:00:00Z`)) /
        86_400_000,
    ),
  );
  const notice = {
    ...(await shortData(tx, h)),
    daysLeft,
    status: h.status,
    links: { submit: links.submit, extension: links.extension },
  };
  const offset = String(data.offset ?? '');
  await appendAudit(tx, {
    actorKind: 'SYSTEM',
    action: 'hazard.reminded',
    subjectType: 'hazard',
    subjectId: h.id,
    data: { via: 'timer', offset, daysLeft, recipients: managers.length },
  });
  const deliveryIds = await addDeliveries(
    tx,
    managers.map((m) => ({
      purpose: 'hazard.reminder',
      channel: 'ROBOT_OTO' as const,
      template: 'hazard-reminder',
      data: notice,
      recipientPersonId: m,
      priority: 3,
      subjectType: 'hazard',
      subjectId: h.id,
      idempotencyKey: `hazard.reminder:${h.id}:${h.scheduleVersion}:${offset}:${m}`,
    })),
  );
  return { deliveryIds, changed: false };
}

function overdueDays(h: Hazard, now: Date): number {
  return Math.max(1, Math.ceil((now.getTime() - h.deadline.getTime()) / 86_400_000));
}

async function overdueNotices(
  tx: Tx,
  h: Hazard,
  ctx: DeadlineEventContext,
  purpose: string,
  escalated = false,
): Promise<NewDelivery[]> {
  const { managers, legalReps } = await unitPeople(tx, h.unitId);
  const regulators = await responsibleRegulators(tx, h);
  const links = hazardLinks(ctx.publicBaseUrl, h.id);
  const base = {
    ...(await shortData(tx, h)),
    overdueDays: overdueDays(h, ctx.now),
    nextStep: 'INTERVIEW' as const,
    escalated,
  };
  const to = (ids: string[], audience: 'MANAGER' | 'LEGAL_REP' | 'REGULATOR'): NewDelivery[] =>
    ids.map((id) => ({
      purpose,
      channel: 'ROBOT_OTO',
      template: 'hazard-overdue',
      data: {
        ...base,
        audience,
        links: audience === 'REGULATOR' ? { detail: links.detail } : { detail: links.detail, submit: links.submit },
      },
      recipientPersonId: id,
      priority: 2,
      statutory: true,
      subjectType: 'hazard',
      subjectId: h.id,
      idempotencyKey: `${purpose}:${h.id}:${h.scheduleVersion}:${id}`,
    }));
  return [...to(managers, 'MANAGER'), ...to(legalReps, 'LEGAL_REP'), ...to(regulators, 'REGULATOR')];
}

/** At the deadline: the hazard becomes OVERDUE and everyone concerned is told. */
export async function markOverdue(
  tx: Tx,
  hazardId: string,
  data: { version?: unknown },
  ctx: DeadlineEventContext,
): Promise<DeadlineEventResult> {
  const h = await current(tx, hazardId, data.version);
  if (!h || (h.status !== 'PENDING' && h.status !== 'FIXING')) return NOTHING;
  const { hazard, deliveryIds: riskIds } = await changeHazard(
    tx,
    h,
    { status: 'OVERDUE', reschedule: false },
    { action: 'hazard.overdue', data: { overdueSince: h.deadline.toISOString() } },
    { publicBaseUrl: ctx.publicBaseUrl, via: 'timer', now: ctx.now },
  );
  const deliveryIds = await addDeliveries(tx, await overdueNotices(tx, hazard, ctx, 'hazard.overdue'));
  return { deliveryIds: [...deliveryIds, ...riskIds], changed: true };
}

/**
 * After the configured overdue period: ESCALATED (flagged for an interview, issue #6), audited as
 * `hazard.escalated`; the unit is told, the regulators get the overdue notice with the next step.
 */
export async function escalateHazard(
  tx: Tx,
  hazardId: string,
  data: { version?: unknown },
  ctx: DeadlineEventContext,
): Promise<DeadlineEventResult> {
  const h = await current(tx, hazardId, data.version);
  if (!h || (h.status !== 'OVERDUE' && h.status !== 'PENDING' && h.status !== 'FIXING')) return NOTHING;
  const { hazard, deliveryIds: riskIds } = await changeHazard(
    tx,
    h,
    { status: 'ESCALATED', reschedule: false },
    { action: 'hazard.escalated', data: { overdueDays: overdueDays(h, ctx.now), nextStep: 'INTERVIEW' } },
    { publicBaseUrl: ctx.publicBaseUrl, via: 'timer', now: ctx.now },
  );
  const { managers } = await unitPeople(tx, h.unitId);
  const status = await hazardStatusData(
    tx,
    h.id,
    { status: 'ESCALATED', decidedBy: '雷卫系统（逾期自动升级）', at: ctx.now, comment: '逾期未整改，已列入约谈名单' },
    ctx,
  );
  const toUnit = hazardStatusNotices(
    managers,
    h.id,
    status,
    'hazard.escalated',
    `hazard.escalated:${h.id}:${h.scheduleVersion}`,
  );
  const toRegulators = (await overdueNotices(tx, hazard, ctx, 'hazard.escalated.regulator', true)).filter(
    (d) => (d.data as { audience: string }).audience === 'REGULATOR',
  );
  const deliveryIds = await addDeliveries(tx, [...toUnit, ...toRegulators]);
  return { deliveryIds: [...deliveryIds, ...riskIds], changed: true };
}
