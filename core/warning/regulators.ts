// The regulators a warning concerns (issue #20): each unit's responsible regulators (its
// supervising bureau's, or the bureau of its county when it has none) and the bureaus of the
// warned regions. They get the live status card, and the list of units no call reached.
import type { Tx } from '../db';
import type { NewDelivery } from '../outbox/add-deliveries';
import { recordPageUrl } from './links';
import { regulatorWarningCardData, WARNING_SUBJECT, type WarningBase } from './warning-cards';

/** A unit as the regulators' messages need it. */
export interface RegulatedUnit {
  unitId: string;
  name: string;
  regionCode: string;
  supervisingOrgId: string | null;
}

/** Active regulators of each org, and each unit's responsible org. */
async function orgsAndRegulators(tx: Tx, units: readonly RegulatedUnit[], regionCodes: readonly string[] = []) {
  const ids = [...new Set(units.flatMap((u) => (u.supervisingOrgId ? [u.supervisingOrgId] : [])))];
  const codes = [...new Set([...units.filter((u) => !u.supervisingOrgId).map((u) => u.regionCode), ...regionCodes])];
  const orgs = await tx.regulatorOrg.findMany({
    where: { OR: [{ id: { in: ids } }, { regionCode: { in: codes } }] },
    select: { id: true, regionCode: true },
  });
  const people = await tx.person.findMany({
    where: { active: true, orgId: { in: orgs.map((o) => o.id) }, roles: { has: 'REGULATOR' } },
    select: { id: true, orgId: true },
    orderBy: { id: 'asc' },
  });
  const byOrg = new Map<string, string[]>();
  for (const p of people) byOrg.set(p.orgId!, [...(byOrg.get(p.orgId!) ?? []), p.id]);
  const orgOf = (u: RegulatedUnit) => u.supervisingOrgId ?? orgs.find((o) => o.regionCode === u.regionCode)?.id;
  return { orgs, byOrg, orgOf };
}

/** The regulators' status card (live answer rate, link to the 叫应记录) for everyone concerned. */
export async function regulatorCards(
  tx: Tx,
  b: WarningBase,
  units: readonly RegulatedUnit[],
  now: Date,
  publicBaseUrl: string,
): Promise<NewDelivery[]> {
  const { byOrg } = await orgsAndRegulators(tx, units, b.w.regionCodes);
  const regulators = [...new Set([...byOrg.values()].flat())];
  if (regulators.length === 0) return [];
  const data = await regulatorWarningCardData(tx, b.w.id, now, publicBaseUrl);
  return regulators.map((id) => ({
    purpose: 'warning.regulator-card',
    channel: 'CARD' as const,
    template: 'lightning-warning',
    data,
    recipientPersonId: id,
    priority: 3,
    statutory: true,
    subjectType: WARNING_SUBJECT,
    subjectId: b.w.id,
  }));
}

/**
 * Tells each unit's responsible regulators which of their units stayed silent (or cannot be
 * reached): one list per bureau, to each of its regulators; marks the units told.
 */
export async function tellRegulators(
  tx: Tx,
  b: WarningBase,
  units: readonly RegulatedUnit[],
  opts: {
    reason: 'SILENT' | 'UNREACHABLE';
    /** The calls made before (Chinese labels). */
    calls: string[];
    purpose: string;
    priority: number;
    now: Date;
    publicBaseUrl: string;
  },
): Promise<NewDelivery[]> {
  if (units.length === 0) return [];
  const { byOrg, orgOf } = await orgsAndRegulators(tx, units);
  const perOrg = new Map<string, RegulatedUnit[]>();
  for (const u of units) {
    const org = orgOf(u);
    if (org) perOrg.set(org, [...(perOrg.get(org) ?? []), u]);
  }
  const deliveries: NewDelivery[] = [];
  const told: string[] = [];
  for (const [org, list] of perOrg) {
    const regulators = byOrg.get(org) ?? [];
    if (regulators.length === 0) continue;
    told.push(...list.map((u) => u.unitId));
    const data = {
      warningId: b.base.warningId,
      level: b.base.level,
      issuer: b.base.issuer,
      issuedAt: b.base.issuedAt,
      validUntil: b.base.validUntil,
      reason: opts.reason,
      calls: opts.calls,
      units: list.slice(0, 30).map((u) => ({ name: u.name.slice(0, 60) })),
      total: list.length,
      recordUrl: recordPageUrl(opts.publicBaseUrl, b.w.id),
    };
    for (const id of regulators) {
      deliveries.push({
        purpose: opts.purpose,
        channel: 'ROBOT_OTO',
        template: 'warning-silent-list',
        data,
        recipientPersonId: id,
        priority: opts.priority,
        statutory: true,
        subjectType: WARNING_SUBJECT,
        subjectId: b.w.id,
        idempotencyKey: `${opts.purpose}|${id}|${b.w.id}|${org}`,
      });
    }
  }
  if (told.length > 0) {
    await tx.$executeRaw`
      UPDATE "WarningUnit" SET "regulatorToldAt" = ${opts.now}
       WHERE "warningId" = ${b.w.id} AND "unitId" = ANY(${told}::text[]) AND "regulatorToldAt" IS NULL`;
  }
  return deliveries;
}
