// A regulator plans an inspection of one unit (重点检查 / 专项检查 / 复查): it counts against the
// unit's yearly cap from the moment it is planned (beyond it only with a reason, inspection-cap.ts),
// warns other bureaus inspecting the unit within the window (repeat-warning.ts), and is scanned in
// on site later (scan-in.ts), where its combined checklist is fixed.
import { z } from 'zod';
import type { PrismaClient } from '../db';
import { ValidationError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { openBureauInspection } from './inspection-cap';
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
    const row = await openBureauInspection(tx, {
      personId,
      orgId,
      unit,
      mode: input.mode,
      caps: opts.caps,
      reason: input.reason,
      now,
      action: 'inspection.planned',
    });
    const deliveryIds = await addDeliveries(
      tx,
      await repeatWarnings(tx, row.id, { windowDays: opts.repeatWarnDays, publicBaseUrl: opts.publicBaseUrl }),
    );
    return { inspectionId: row.id, overCap: row.overCap, deliveryIds };
  });
}
