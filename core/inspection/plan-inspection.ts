// A regulator plans an inspection of one unit (重点检查 / 专项检查 / 复查): it counts against the
// unit's yearly cap from the moment it is planned (beyond it only with a reason, inspection-cap.ts),
// warns other bureaus inspecting the unit within the window (repeat-warning.ts), and is scanned in
// on site later (scan-in.ts), where its combined checklist is fixed.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { ValidationError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { currentChecklist } from './checklists';
import { capStanding, reasonBeyondCap } from './inspection-cap';
import { repeatWarnings } from './repeat-warning';
import { inspectorOrg, type InspectionRules } from './scan-in';

/** What a regulator submits to plan an inspection. */
export const planInspectionInput = z
  .object({
    unitId: z.string({ message: '请选择要检查的单位' }).trim().min(1, '请选择要检查的单位').max(64),
    mode: z.enum(['FOCUS', 'SPECIAL', 'REVIEW'], { message: '检查方式应为 重点检查 / 专项检查 / 复查' }),
    /** Required when the unit has reached its yearly cap. */
    reason: z.string().max(400).optional(),
  })
  .strict();

/** Plans an inspection for the caller (who must be a regulator of a bureau). */
export async function planInspection(
  prisma: PrismaClient,
  personId: string,
  raw: unknown,
  opts: InspectionRules & { publicBaseUrl: string; now?: Date },
): Promise<{ inspectionId: string; overCap: boolean; deliveryIds: string[] }> {
  const parsed = planInspectionInput.safeParse(raw, { error: z.locales.zhCN().localeError });
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '检查安排');
  const input = parsed.data;
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const orgId = await inspectorOrg(tx, personId);
    const unit = await tx.unit.findUniqueOrThrow({
      where: { id: input.unitId },
      select: { id: true, name: true, category: true },
    });
    const standing = await capStanding(tx, unit, opts.caps, now);
    const reason = reasonBeyondCap(unit.name, standing, input.reason);
    const checklist = await currentChecklist(tx, unit.category);
    const row = await tx.inspection.create({
      data: {
        mode: input.mode,
        unitId: unit.id,
        checklistId: checklist.id,
        inspectorIds: [personId],
        orgId,
        overCap: reason !== undefined,
        overCapReason: reason ?? null,
      },
    });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: personId,
      action: 'inspection.planned',
      subjectType: 'inspection',
      subjectId: row.id,
      data: {
        unitId: unit.id,
        mode: input.mode,
        orgId,
        yearCount: standing.count + 1,
        cap: standing.cap,
        overCap: reason !== undefined,
        overCapReason: reason ?? null,
      },
    });
    const deliveryIds = await addDeliveries(
      tx,
      await repeatWarnings(tx, row.id, { windowDays: opts.repeatWarnDays, publicBaseUrl: opts.publicBaseUrl }),
    );
    return { inspectionId: row.id, overCap: reason !== undefined, deliveryIds };
  });
}
