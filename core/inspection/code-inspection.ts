// 码上检查 (code inspection): the unit's manager, or a regulator on site, scans the unit's
// supervision code, fills the checklist of the unit's category, and submits. Failed items become
// hazards (fileHazardTx) in the same transaction as the inspection, its item results and the
// audit event, so a submission is all or nothing and a second submission changes nothing.
// Who may inspect which unit is decided by the caller (miniapp/m/scope.ts); this module checks
// only that the person is the inspection's inspector. A regulator's visit answers the combined
// checklist (一表通查, combined-checklist.ts): the items due for the unit come first; a failed
// re-check of an open hazard is recorded against that hazard instead of filing a second one.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import type { InspectionMode, ItemResult } from '../db/generated/enums';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { devicePositionSchema } from '../field-work/site-scan';
import { fileHazardTx } from '../hazard/file-hazard';
import type { PlanSettings } from '../hazard/plan';
import type { ChecklistItem } from './checklist-templates';
import { checklistById, checklistScore, currentChecklist, shortItems } from './checklists';
import { storedExtraItems, type ExtraItem } from './combined-checklist';

/** The items an inspection asks: the visit's combined items, then its checklist's. */
export function inspectionItems(
  extraItems: unknown,
  checklistItems: ChecklistItem[],
): Array<ChecklistItem & Partial<Pick<ExtraItem, 'section' | 'hazardId'>>> {
  return [...storedExtraItems(extraItems), ...checklistItems];
}

/** Starts (or resumes the caller's open) inspection of a unit with its category's checklist. */
export async function startInspection(
  prisma: PrismaClient,
  input: { personId: string; unitId: string; mode: InspectionMode; drawId?: string },
): Promise<{ inspectionId: string; resumed: boolean }> {
  return prisma.$transaction(async (tx) => {
    const unit = await tx.unit.findUnique({
      where: { id: input.unitId },
      select: { id: true, category: true, active: true },
    });
    if (!unit || !unit.active) throw new NotFoundError('UNIT_NOT_FOUND', '重点单位不存在或已注销');
    // Array filters are done in code: the PGlite adapter mishandles `has` on arrays (hazard-scope.ts).
    const open = await tx.inspection.findMany({
      where: { unitId: unit.id, mode: input.mode, status: 'IN_PROGRESS' },
      select: { id: true, inspectorIds: true },
      orderBy: { startedAt: 'desc' },
      take: 20,
    });
    const mine = open.find((i) => i.inspectorIds.includes(input.personId));
    if (mine) return { inspectionId: mine.id, resumed: true };
    const checklist = await currentChecklist(tx, unit.category);
    const row = await tx.inspection.create({
      data: {
        mode: input.mode,
        unitId: unit.id,
        checklistId: checklist.id,
        inspectorIds: [input.personId],
        drawId: input.drawId,
      },
    });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: input.personId,
      action: 'inspection.started',
      subjectType: 'inspection',
      subjectId: row.id,
      data: { unitId: unit.id, mode: input.mode, checklist: checklist.key, version: checklist.version },
    });
    return { inspectionId: row.id, resumed: false };
  });
}

const photo = z.object({ url: z.string().trim().min(1).max(500) });

/** What the mini-app submits. */
export const submitInspectionInput = z.object({
  items: z
    .array(
      z.object({
        key: z.string().min(1).max(40),
        result: z.enum(['PASS', 'FAIL', 'NA'], { message: '请选择 符合 / 不符合 / 不适用' }),
        note: z.string().trim().max(200, '说明不超过 200 字').optional(),
        photos: z.array(photo).max(9, '每项最多 9 张照片').default([]),
      }),
    )
    .max(60),
  /** Only when the person agreed to share it. */
  location: devicePositionSchema.nullish(),
});

/** Options of a submission. */
export interface SubmitOptions {
  publicBaseUrl: string;
  now?: Date;
  /** Hazard source of failed items: the unit's own people → SELF_CHECK, regulators → ENFORCEMENT. */
  source: 'SELF_CHECK' | 'ENFORCEMENT';
  /**
   * 'short': the chat self-check card, which asks only the checklist's short items and carries no
   * photos (failed items become hazards all the same). Default: the full checklist, photos required.
   */
  items?: 'full' | 'short';
  /** Where the answers came from (audited). */
  via?: 'miniapp' | 'card';
  /** The plan hazards of failed items take (config.hazard); default DEFAULT_PLAN_SETTINGS. */
  plan?: PlanSettings;
}

/** Result of a submission. */
export interface SubmitResult {
  inspectionId: string;
  score: number;
  result: 'PASS' | 'FAIL';
  hazardIds: string[];
  /** Open hazards found not yet rectified on re-check (recorded against them, not filed again). */
  recheckedHazardIds: string[];
  deliveryIds: string[];
}

/**
 * Photos must be files this server stored (the upload endpoint's URLs): a relative path, or an
 * absolute URL under the public base URL. They are kept absolute, as hazards store them.
 */
function photoUrl(publicBaseUrl: string, url: string): string | null {
  const base = publicBaseUrl.replace(/\/+$/, '');
  if (url.startsWith('/') && !url.startsWith('//')) return base + url;
  if (url.startsWith(`${base}/`)) return url;
  return null;
}

/** Submits an inspection; see the file comment. */
export async function submitInspection(
  prisma: PrismaClient,
  personId: string,
  inspectionId: string,
  raw: unknown,
  opts: SubmitOptions,
): Promise<SubmitResult> {
  const parsed = submitInspectionInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '检查结果');
  const input = parsed.data;
  const now = opts.now ?? new Date();
  const insp = await prisma.inspection.findUnique({
    where: { id: inspectionId },
    select: {
      id: true,
      mode: true,
      status: true,
      unitId: true,
      checklistId: true,
      inspectorIds: true,
      extraItems: true,
      unit: { select: { name: true } },
    },
  });
  if (!insp || !insp.unitId || !insp.inspectorIds.includes(personId))
    throw new NotFoundError('INSPECTION_NOT_FOUND', '检查记录不存在');
  if (insp.status !== 'IN_PROGRESS') throw alreadySubmitted();
  const unitId = insp.unitId;
  const full = await checklistById(prisma, insp.checklistId);
  const short = opts.items === 'short';
  const items: Array<ChecklistItem & { hazardId?: string }> = short
    ? shortItems(full.items)
    : inspectionItems(insp.extraItems, full.items);
  const checklist = { ...full, items };

  const answers = new Map(input.items.map((i) => [i.key, i]));
  if (answers.size !== input.items.length) throw new ValidationError('检查结果中有重复的检查项');
  const known = new Set(checklist.items.map((i) => i.key));
  const unknown = input.items.find((i) => !known.has(i.key));
  if (unknown) throw new ValidationError(`检查项「${unknown.key}」不在本检查表中，请刷新页面后重新填写`);
  const photosOf = new Map<string, Array<{ url: string }>>();
  for (const [n, item] of checklist.items.entries()) {
    const a = answers.get(item.key);
    if (!a) throw new ValidationError(`第 ${n + 1} 项「${item.text}」未填写`, { item: item.key });
    if (a.result === 'FAIL' && a.photos.length === 0 && !short) {
      throw new ValidationError(`第 ${n + 1} 项「${item.text}」不符合，请拍摄或上传现场照片`, { item: item.key });
    }
    const urls = a.photos.map((p) => photoUrl(opts.publicBaseUrl, p.url));
    if (urls.some((u) => u === null))
      throw new ValidationError(`第 ${n + 1} 项的照片不是本系统上传的图片，请重新上传`, { item: item.key });
    photosOf.set(
      item.key,
      urls.map((url) => ({ url: url! })),
    );
  }
  const results = new Map<string, ItemResult>(input.items.map((i) => [i.key, i.result]));
  const score = checklistScore(checklist.items, results);
  const failed = checklist.items.filter((i) => results.get(i.key) === 'FAIL');
  const result = failed.length > 0 ? 'FAIL' : 'PASS';

  return prisma.$transaction(async (tx) => {
    // The status guard makes a second submission (double tap, two phones) a no-op conflict.
    const claimed = await tx.inspection.updateMany({
      where: { id: insp.id, status: 'IN_PROGRESS' },
      data: {
        status: 'SUBMITTED',
        submittedAt: now,
        score,
        result,
        location: input.location ? { ...input.location, at: now.toISOString() } : undefined,
      },
    });
    if (claimed.count === 0) throw alreadySubmitted();
    const hazardIds: string[] = [];
    const recheckedHazardIds: string[] = [];
    const deliveryIds: string[] = [];
    const hazardOf = new Map<string, string>();
    for (const item of failed) {
      const a = answers.get(item.key)!;
      // An open hazard found not yet rectified on re-check: the result points at it (no second hazard).
      if (item.hazardId) {
        hazardOf.set(item.key, item.hazardId);
        recheckedHazardIds.push(item.hazardId);
        continue;
      }
      const found =
        insp.mode === 'CODE' ? '码上检查发现' : insp.mode === 'SELF_CHECK' ? '雷雨季前自查发现' : '检查发现';
      const description = `${found}：${item.text}不符合要求${a.note ? `。${a.note}` : ''}`.slice(0, 300);
      const filed = await fileHazardTx(
        tx,
        personId,
        {
          unitId,
          type: item.hazardType,
          grade: item.grade,
          source: opts.source,
          description,
          photos: photosOf.get(item.key),
          legalBasis: item.legalBasis,
          deadlineWorkingDays: item.deadlineWorkingDays,
        },
        // The caller has checked that this person may inspect this unit (miniapp/m/scope.ts).
        {
          publicBaseUrl: opts.publicBaseUrl,
          now,
          via: 'inspection',
          plan: opts.plan,
          authorize: async () => undefined,
        },
      );
      hazardIds.push(filed.hazardId);
      deliveryIds.push(...filed.deliveryIds);
      hazardOf.set(item.key, filed.hazardId);
    }
    await tx.inspectionItemResult.createMany({
      data: checklist.items.map((item) => {
        const a = answers.get(item.key)!;
        return {
          inspectionId: insp.id,
          itemKey: item.key,
          result: a.result,
          note: a.note,
          photos: photosOf.get(item.key) ?? [],
          hazardId: hazardOf.get(item.key),
        };
      }),
    });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: personId,
      action: 'inspection.submitted',
      subjectType: 'inspection',
      subjectId: insp.id,
      data: {
        via: opts.via ?? 'miniapp',
        items: short ? 'short' : 'full',
        unitId,
        score,
        result,
        failed: failed.map((i) => i.key),
        hazardIds,
        recheckedHazardIds,
        located: Boolean(input.location),
      },
    });
    return { inspectionId: insp.id, score, result, hazardIds, recheckedHazardIds, deliveryIds };
  });
}

function alreadySubmitted(): ConflictError {
  return new ConflictError('INSPECTION_ALREADY_SUBMITTED', '该检查已提交，请勿重复提交');
}
