// Issuing, updating and cancelling a lightning warning (issue #8 parts 4-5). One transaction
// writes the warning, its audit event, a card for the managers of every key unit in the regions
// (most exposed categories first; red ahead of any bulk backlog) and a card for the responsible
// regulators, plus the reminder timer carrying the warning's version. An update or cancellation
// raises the version and asks for every card already sent to be refreshed.
import { appendAudit } from '../audit';
import type { PrismaClient, Tx, UnitCategory, WarningLevel } from '../db';
import type { Prisma } from '../db/generated/client';
import { regionMatches, regionPrefix } from '../domain/region';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../errors';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';
import { cancelTimers, setTimer } from '../timers';
import {
  regulatorWarningCardData,
  unitCardData,
  unitSubjectId,
  UNIT_SUBJECT,
  warningCardBase,
  WARNING_SUBJECT,
} from './warning-cards';
import { warningInputSchema } from './warning-input';
import { CATEGORY_ORDER } from './precautions';

/** Where a warning came from. */
export type WarningSource = 'API' | 'WEBHOOK' | 'REGULATOR';

/** Timer kinds of a warning. */
export const WARNING_TIMERS = { remind: 'warning.remind', escalate: 'warning.escalate' } as const;

/** Cards to refresh after commit: every card of a subject, or of every subject id with a prefix. */
export interface RefreshRequest {
  subjectType: string;
  subjectId: string;
  prefix?: boolean;
}

/** What issuing or cancelling produced; the caller dispatches and refreshes after commit. */
export interface WarningChange {
  warningId: string;
  created: boolean;
  version: number;
  units: number;
  deliveryIds: string[];
  refresh: RefreshRequest[];
}

/** Options of issueWarning / cancelWarning. */
export interface WarningOptions {
  source: WarningSource;
  /** The regulator entering it (source REGULATOR). */
  actorPersonId?: string;
  remindAfterMs: number;
  now?: Date;
}

/** Priority of a unit's card: red first, and within a level the most exposed categories first. */
export function warningPriority(level: WarningLevel, category: UnitCategory): number {
  const base = level === 'RED' ? 1 : level === 'ORANGE' ? 2 : 3;
  return base + (category === 'FLAMMABLE' || category === 'MINE_SCENIC' ? 0 : 1);
}

async function assertRegulatorRegions(tx: Tx, personId: string | undefined, regionCodes: string[]): Promise<void> {
  if (!personId) throw new PermissionError('请先登录');
  const p = await tx.person.findUnique({ where: { id: personId }, include: { org: true } });
  if (!p || !p.active || !p.roles.includes('REGULATOR') || !p.org)
    throw new PermissionError('只有气象主管机构执法人员可以发布预警');
  const outside = regionCodes.filter((c) => !regionMatches(p.org!.regionCode, c));
  if (outside.length > 0) throw new PermissionError(`区域 ${outside.join('、')} 不在您所在机构的管辖范围内`);
}

/** Issues a new warning, or updates one already issued under the same id. */
export async function issueWarning(prisma: PrismaClient, raw: unknown, opts: WarningOptions): Promise<WarningChange> {
  const parsed = warningInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '雷电预警');
  const input = parsed.data;
  const now = opts.now ?? new Date();
  return prisma.$transaction(
    async (tx) => {
      if (opts.source === 'REGULATOR') await assertRegulatorRegions(tx, opts.actorPersonId, input.regionCodes);
      const existing = await tx.lightningWarning.findUnique({ where: { id: input.id } });
      if (existing?.status === 'CANCELLED') throw new ConflictError('WARNING_CANCELLED', '该预警已解除，不能再更新');
      const fields = {
        level: input.level,
        regionCodes: input.regionCodes,
        issuedAt: new Date(input.issuedAt),
        expiresAt: new Date(input.expiresAt),
        issuer: input.issuer,
        text: input.text,
      };
      const same =
        existing &&
        JSON.stringify({ ...fields, issuedAt: +fields.issuedAt, expiresAt: +fields.expiresAt }) ===
          JSON.stringify({
            level: existing.level,
            regionCodes: existing.regionCodes,
            issuedAt: +existing.issuedAt,
            expiresAt: +existing.expiresAt,
            issuer: existing.issuer,
            text: existing.text,
          });
      if (existing && same)
        return {
          warningId: existing.id,
          created: false,
          version: existing.version,
          units: 0,
          deliveryIds: [],
          refresh: [],
        };
      const w = existing
        ? await tx.lightningWarning.update({
            where: { id: input.id, version: existing.version },
            data: { ...fields, version: { increment: 1 } },
          })
        : await tx.lightningWarning.create({
            data: { id: input.id, ...fields, source: opts.source, createdById: opts.actorPersonId },
          });
      await appendAudit(tx, {
        actorPersonId: opts.actorPersonId,
        actorKind: opts.actorPersonId ? 'PERSON' : 'SYSTEM',
        action: existing ? 'warning.updated' : 'warning.issued',
        subjectType: WARNING_SUBJECT,
        subjectId: w.id,
        data: { level: w.level, regionCodes: w.regionCodes, version: w.version, source: opts.source },
      });
      const { deliveryIds, units } = await fanOut(tx, w, now);
      await cancelTimers(tx, {
        subjectType: WARNING_SUBJECT,
        subjectId: w.id,
        kinds: [WARNING_TIMERS.remind, WARNING_TIMERS.escalate],
      });
      await setTimer(tx, {
        kind: WARNING_TIMERS.remind,
        subjectType: WARNING_SUBJECT,
        subjectId: w.id,
        dueAt: new Date(now.getTime() + opts.remindAfterMs),
        data: { version: w.version },
      });
      const refresh: RefreshRequest[] = existing
        ? [
            { subjectType: UNIT_SUBJECT, subjectId: `${w.id}|`, prefix: true },
            { subjectType: WARNING_SUBJECT, subjectId: w.id },
          ]
        : [];
      return { warningId: w.id, created: !existing, version: w.version, units, deliveryIds, refresh };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

/** Cards for the managers of every key unit the warning covers, and for their regulators. */
async function fanOut(tx: Tx, w: { id: string; level: WarningLevel; regionCodes: string[] }, now: Date) {
  const regionFilter: Prisma.UnitWhereInput = {
    OR: w.regionCodes.map((c) => ({ regionCode: { startsWith: regionPrefix(c) } })),
  };
  const people = await tx.person.findMany({
    where: { active: true, unit: { active: true, ...regionFilter } },
    select: {
      id: true,
      roles: true,
      unitId: true,
      unit: { select: { name: true, category: true, supervisingOrgId: true } },
    },
  });
  // Managers receive the card; a unit without a manager gets it through its legal representative.
  const byUnit = new Map<string, typeof people>();
  for (const p of people) if (p.unitId) byUnit.set(p.unitId, [...(byUnit.get(p.unitId) ?? []), p]);
  const units = [...byUnit.entries()].sort(
    ([, a], [, b]) => CATEGORY_ORDER.indexOf(a[0]!.unit!.category) - CATEGORY_ORDER.indexOf(b[0]!.unit!.category),
  );
  const deliveries: NewDelivery[] = [];
  const orgIds = new Set<string>();
  const base = await warningCardBase(tx, w.id);
  for (const [unitId, ps] of units) {
    const managers = ps.filter((p) => p.roles.includes('UNIT_MANAGER'));
    const recipients = managers.length > 0 ? managers : ps.filter((p) => p.roles.includes('LEGAL_REP'));
    if (recipients.length === 0) continue;
    const unit = ps[0]!.unit!;
    if (unit.supervisingOrgId) orgIds.add(unit.supervisingOrgId);
    const subjectId = unitSubjectId(w.id, unitId);
    // New recipients have not confirmed yet (an update re-sends nothing to those already notified).
    const data = unitCardData(base, unit, null, now);
    for (const p of recipients) {
      deliveries.push({
        purpose: 'warning.card',
        channel: 'CARD',
        template: 'lightning-warning',
        data,
        recipientPersonId: p.id,
        priority: warningPriority(w.level, unit.category),
        statutory: true,
        subjectType: UNIT_SUBJECT,
        subjectId,
      });
    }
  }
  // Regulators: of the units' supervising bureaus and of the bureaus of the warned regions.
  const orgs = await tx.regulatorOrg.findMany({
    where: { OR: [{ id: { in: [...orgIds] } }, { regionCode: { in: w.regionCodes } }] },
    select: { id: true },
  });
  const regulators = (
    await tx.person.findMany({
      where: { active: true, orgId: { in: orgs.map((o) => o.id) } },
      select: { id: true, roles: true },
    })
  ).filter((p) => p.roles.includes('REGULATOR'));
  // The units' deliveries first: the regulators' card counts them, so its first version shows
  // 「已落实 0/N 家」 rather than 0/0 (#19).
  const deliveryIds = await addDeliveries(tx, deliveries);
  deliveries.length = 0;
  if (regulators.length > 0) {
    const data = await regulatorWarningCardData(tx, w.id, now);
    for (const r of regulators) {
      deliveries.push({
        purpose: 'warning.regulator-card',
        channel: 'CARD',
        template: 'lightning-warning',
        data,
        recipientPersonId: r.id,
        priority: 3,
        statutory: true,
        subjectType: WARNING_SUBJECT,
        subjectId: w.id,
      });
    }
  }
  deliveryIds.push(...(await addDeliveries(tx, deliveries)));
  return { deliveryIds, units: byUnit.size };
}

/** Cancels (解除) a warning: every card already sent shows it, pending reminders are dropped. */
export async function cancelWarning(
  prisma: PrismaClient,
  warningId: string,
  opts: Omit<WarningOptions, 'remindAfterMs'>,
): Promise<WarningChange> {
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const w = await tx.lightningWarning.findUnique({ where: { id: warningId } });
    if (!w) throw new NotFoundError('WARNING_NOT_FOUND', '该预警不存在');
    if (opts.source === 'REGULATOR') await assertRegulatorRegions(tx, opts.actorPersonId, w.regionCodes);
    if (w.status === 'CANCELLED')
      return { warningId, created: false, version: w.version, units: 0, deliveryIds: [], refresh: [] };
    const updated = await tx.lightningWarning.update({
      where: { id: warningId, version: w.version },
      data: { status: 'CANCELLED', cancelledAt: now, version: { increment: 1 } },
    });
    await cancelTimers(tx, { subjectType: WARNING_SUBJECT, subjectId: warningId });
    await appendAudit(tx, {
      actorPersonId: opts.actorPersonId,
      actorKind: opts.actorPersonId ? 'PERSON' : 'SYSTEM',
      action: 'warning.cancelled',
      subjectType: WARNING_SUBJECT,
      subjectId: warningId,
      data: { version: updated.version, source: opts.source },
    });
    return {
      warningId,
      created: false,
      version: updated.version,
      units: 0,
      deliveryIds: [],
      refresh: [
        { subjectType: UNIT_SUBJECT, subjectId: `${warningId}|`, prefix: true },
        { subjectType: WARNING_SUBJECT, subjectId: warningId },
      ],
    };
  });
}
