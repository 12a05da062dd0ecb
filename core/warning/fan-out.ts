// Calls to a warning's key units (issue #20): the units with the people who are told (one SQL
// query), who is called, with what priority, and the messages of one call through each unit's
// first-line channel (the ladder's reminders). The first line itself is written in set-based SQL
// by the fan-out job (fan-out-chunks.ts), which follows the same rules.
import type { Tx, UnitCategory, WarningLevel } from '../db';
import type { NewDelivery } from '../outbox/add-deliveries';
import { regionPrefix } from '../domain/region';
import { assignChannels, type FirstLineChannel } from './first-line';
import { ackPageUrl, type WarningCall } from './links';
import { CATEGORY_ORDER } from './precautions';
import {
  reminderStatus,
  sharedWarningData,
  unitCardData,
  unitSubjectId,
  UNIT_SUBJECT,
  type WarningBase,
} from './warning-cards';

/** Someone told of a warning for their unit. */
export interface UnitPerson {
  id: string;
  dingUserId: string | null;
}

/** A key unit a warning covers. */
export interface CoveredUnit {
  unitId: string;
  name: string;
  category: UnitCategory;
  regionCode: string;
  supervisingOrgId: string | null;
  managers: UnitPerson[];
  legalReps: UnitPerson[];
}

/**
 * The active key units under the region codes (or the given units), most exposed categories
 * first, with their people. Two statements, not a join: a join of units and people is planned
 * from the tables' statistics, and right after a bulk import (no statistics yet) Postgres
 * estimated a few dozen units and chose a nested loop over every pair (26 s for 10,000 units);
 * the people of a list of units are found by the index on "unitId" whatever the statistics say.
 */
export async function coveredUnits(
  tx: Tx,
  where: { regionCodes: readonly string[] } | { unitIds: readonly string[] },
): Promise<CoveredUnit[]> {
  const patterns = 'regionCodes' in where ? where.regionCodes.map((c) => `${regionPrefix(c)}%`) : ['%'];
  const ids = 'unitIds' in where ? [...where.unitIds] : null;
  const units = await tx.$queryRaw<
    Array<{ id: string; name: string; category: UnitCategory; regionCode: string; supervisingOrgId: string | null }>
  >`
    SELECT u.id, u.name, u.category, u."regionCode", u."supervisingOrgId"
      FROM "Unit" u
     WHERE u.active AND u."regionCode" LIKE ANY(${patterns}::text[])
       AND (${ids}::text[] IS NULL OR u.id = ANY(${ids}::text[]))
     ORDER BY array_position(${CATEGORY_ORDER}::text[], u.category::text), u.id`;
  if (units.length === 0) return [];
  const people = await tx.$queryRaw<
    Array<{ id: string; unitId: string; dingUserId: string | null; manager: boolean; legal: boolean }>
  >`
    SELECT p.id, p."unitId", p."dingUserId",
           'UNIT_MANAGER' = ANY(p.roles::text[]) AS manager, 'LEGAL_REP' = ANY(p.roles::text[]) AS legal
      FROM "Person" p
     WHERE p."unitId" = ANY(${units.map((u) => u.id)}::text[]) AND p.active
       AND p.roles::text[] && ARRAY['UNIT_MANAGER', 'LEGAL_REP']
     ORDER BY p.id`;
  const out = units.map(
    (u): CoveredUnit => ({
      unitId: u.id,
      name: u.name,
      category: u.category,
      regionCode: u.regionCode,
      supervisingOrgId: u.supervisingOrgId,
      managers: [],
      legalReps: [],
    }),
  );
  const byId = new Map(out.map((u) => [u.unitId, u]));
  for (const r of people) {
    const u = byId.get(r.unitId);
    if (!u) continue;
    const p = { id: r.id, dingUserId: r.dingUserId };
    if (r.manager) u.managers.push(p);
    if (r.legal) u.legalReps.push(p);
  }
  return out;
}

/** Who a call goes to: the managers (the legal representative when there is none), or for a phone DING the reverse. */
export function callees(u: Pick<CoveredUnit, 'managers' | 'legalReps'>, legalFirst = false): UnitPerson[] {
  const [a, b] = legalFirst ? [u.legalReps, u.managers] : [u.managers, u.legalReps];
  return (a.length > 0 ? a : b).filter((p) => p.dingUserId);
}

/** Why no message can reach a unit (Chinese, for the 叫应记录), or null when one can. */
export function unreachableReason(u: CoveredUnit): string | null {
  if (u.managers.length === 0 && u.legalReps.length === 0) return '未登记负责人或法定代表人';
  if (callees(u).length === 0) return '负责人和法定代表人均未绑定钉钉账号';
  return null;
}

/** Priority of a unit's messages: red first, and within a level the most exposed categories first. */
export function warningPriority(level: WarningLevel, category: UnitCategory): number {
  const base = level === 'RED' ? 1 : level === 'ORANGE' ? 2 : 3;
  return base + (category === 'FLAMMABLE' || category === 'MINE_SCENIC' ? 0 : 1);
}

/** What a first line (or a reminder through the first-line channels) writes. */
export interface FirstLinePlan {
  deliveries: NewDelivery[];
  /** Per unit, in order: its channel, or null when unreachable (with the reason). */
  channels: Array<{ unitId: string; channel: FirstLineChannel | null; unreachable: string | null }>;
}

/**
 * The messages of one call through each unit's first-line channel: the first line itself
 * (`call` FIRST_LINE, channels chosen here) or a reminder (channels as chosen for the first line).
 */
export function firstLineDeliveries(
  b: WarningBase,
  units: CoveredUnit[],
  opts: {
    call: Extract<WarningCall, 'FIRST_LINE' | 'REMINDER'>;
    /** FIRST_LINE: the level's channels and the work notices' room; REMINDER: each unit's channel. */
    choose: { channels: readonly FirstLineChannel[]; workNoticeRoom: number } | Map<string, FirstLineChannel>;
    publicBaseUrl: string;
    now: Date;
  },
): FirstLinePlan {
  const reachable = units.filter((u) => unreachableReason(u) === null);
  const assigned =
    opts.choose instanceof Map
      ? reachable.map((u) => (opts.choose as Map<string, FirstLineChannel>).get(u.unitId) ?? 'CARD_SHARED')
      : assignChannels(
          reachable.map((u) => ({ people: callees(u).length })),
          opts.choose.channels,
          opts.choose.workNoticeRoom,
        );
  const channelOf = new Map(reachable.map((u, i) => [u.unitId, assigned[i]!]));
  const purpose = opts.call === 'FIRST_LINE' ? 'warning.first-line' : 'warning.ladder.remind';
  const callStatus = opts.call === 'REMINDER' ? reminderStatus(opts.now) : undefined;
  // One message per channel for everyone (work notice, DING, robot message, shared card); a unit's own card only
  // for the one-card-per-unit design.
  const base = opts.publicBaseUrl;
  const shared = {
    WORK_NOTICE:
      opts.call === 'FIRST_LINE'
        ? sharedWarningData(b, opts.now, undefined, ackPageUrl(base, b.w.id, 'FIRST_LINE', 'WORK_NOTICE'))
        : callData(b, 'REMINDER', opts.now, ackPageUrl(base, b.w.id, 'REMINDER', 'WORK_NOTICE')),
    DING:
      opts.call === 'FIRST_LINE'
        ? sharedWarningData(b, opts.now, undefined, ackPageUrl(base, b.w.id, 'FIRST_LINE', 'DING'))
        : callData(b, 'REMINDER', opts.now, ackPageUrl(base, b.w.id, 'REMINDER', 'DING')),
    // A robot 1:1 message: the same text for everyone, its 「收到」 button opening the page.
    ROBOT_OTO:
      opts.call === 'FIRST_LINE'
        ? sharedWarningData(b, opts.now, undefined, ackPageUrl(base, b.w.id, 'FIRST_LINE', 'ROBOT_OTO'))
        : callData(b, 'REMINDER', opts.now, ackPageUrl(base, b.w.id, 'REMINDER', 'ROBOT_OTO')),
    CARD_SHARED: sharedWarningData(b, opts.now, callStatus),
  };
  const template = (c: FirstLineChannel) =>
    opts.call === 'REMINDER' && (c === 'WORK_NOTICE' || c === 'DING' || c === 'ROBOT_OTO')
      ? 'warning-call'
      : 'lightning-warning';
  const deliveries: NewDelivery[] = [];
  const channels: FirstLinePlan['channels'] = [];
  for (const u of units) {
    const channel = channelOf.get(u.unitId);
    if (!channel) {
      channels.push({ unitId: u.unitId, channel: null, unreachable: unreachableReason(u) });
      continue;
    }
    channels.push({ unitId: u.unitId, channel, unreachable: null });
    const data = channel === 'CARD' ? unitCardData(b, u, null, opts.now, callStatus) : shared[channel];
    deliveries.push(...unitCall(b, u, { purpose, channel, template: template(channel), data }));
  }
  return { deliveries, channels };
}

/** One call to a unit: the message to each of its callees, on the unit's subject (the 叫应记录 lists it). */
export function unitCall(
  b: WarningBase,
  u: CoveredUnit,
  m: Pick<NewDelivery, 'purpose' | 'channel' | 'template' | 'data'>,
  legalFirst = false,
): NewDelivery[] {
  return callees(u, legalFirst).map((p) => ({
    ...m,
    recipientPersonId: p.id,
    priority: warningPriority(b.w.level, u.category),
    statutory: true,
    subjectType: UNIT_SUBJECT,
    subjectId: unitSubjectId(b.w.id, u.unitId),
  }));
}

/** `warning-call` data of one call (reminder, DING, update or cancellation notice). */
export function callData(
  { w, base }: WarningBase,
  call: 'REMINDER' | 'DING' | 'SMS' | 'CALL' | 'UPDATE' | 'CANCEL',
  at: Date,
  ackUrl?: string,
) {
  const iso = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
  return {
    warningId: base.warningId,
    level: base.level,
    issuer: base.issuer,
    issuedAt: base.issuedAt,
    validUntil: base.validUntil,
    regionNames: base.regionNames,
    call,
    at: iso,
    ...(ackUrl ? { ackUrl } : {}),
    ...(call === 'UPDATE' ? { text: w.text } : {}),
  };
}
