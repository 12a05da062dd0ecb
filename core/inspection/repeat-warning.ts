// Repeated-inspection warning (国办发〔2024〕54号: avoid repeated and multi-level inspections of one
// enterprise): when an inspection of a unit is created or scanned in, every inspection of the same
// unit by a different bureau within INSPECTION_REPEAT_WARN_DAYS raises a warning to the inspectors
// of both, once per pair (the idempotency key holds both ids), so the bureaus can combine visits.
import type { Tx } from '../db';
import { label } from '../domain/labels';
import { addCalendarDays, shanghaiDate } from '../domain/working-days';
import type { NewDelivery } from '../outbox/add-deliveries';

/** The day an inspection counts for: its on-site scan, else when it was planned or drawn. */
const dayOf = (i: { startedAt: Date; visit: { scannedAt: Date } | null }) => i.visit?.scannedAt ?? i.startedAt;

/** Warnings for inspection `inspectionId` (in the caller's transaction; the caller writes them). */
export async function repeatWarnings(
  tx: Tx,
  inspectionId: string,
  opts: { windowDays: number; publicBaseUrl: string },
): Promise<NewDelivery[]> {
  const select = {
    id: true,
    mode: true,
    orgId: true,
    inspectorIds: true,
    startedAt: true,
    org: { select: { name: true } },
    visit: { select: { scannedAt: true } },
  } as const;
  const me = await tx.inspection.findUniqueOrThrow({
    where: { id: inspectionId },
    select: { ...select, unit: { select: { id: true, name: true } } },
  });
  if (!me.orgId || !me.unit) return [];
  const at = dayOf(me);
  const others = await tx.inspection.findMany({
    where: {
      unitId: me.unit.id,
      orgId: { not: null, notIn: [me.orgId] },
      status: { not: 'CANCELLED' },
      // Wide enough to catch planned ones that were scanned in later; the exact day test is below.
      startedAt: { gte: addCalendarDays(at, -opts.windowDays - 366), lte: addCalendarDays(at, opts.windowDays) },
    },
    select,
    orderBy: { startedAt: 'asc' },
  });
  const windowMs = opts.windowDays * 86_400_000;
  const url = `${opts.publicBaseUrl.replace(/\/$/, '')}/m/units/${encodeURIComponent(me.unit.id)}`;
  const out: NewDelivery[] = [];
  for (const other of others) {
    if (Math.abs(dayOf(other).getTime() - at.getTime()) > windowMs) continue;
    const pair = [me.id, other.id].sort().join('|');
    const side = (i: typeof me | typeof other) => ({
      org: (i.org?.name ?? '气象主管机构').slice(0, 40),
      mode: label('InspectionMode', i.mode),
      date: shanghaiDate(dayOf(i)),
    });
    const data = {
      unit: { name: me.unit.name },
      first: side(dayOf(other) <= at ? other : me),
      second: side(dayOf(other) <= at ? me : other),
      windowDays: opts.windowDays,
      links: { unit: url },
    };
    for (const personId of new Set([...me.inspectorIds, ...other.inspectorIds])) {
      out.push({
        purpose: 'inspection.repeat-warning',
        channel: 'ROBOT_OTO',
        template: 'inspection-repeat',
        data,
        recipientPersonId: personId,
        priority: 4,
        subjectType: 'inspection',
        subjectId: me.id,
        idempotencyKey: `inspection.repeat|${pair}|${personId}`,
      });
    }
  }
  return out;
}
