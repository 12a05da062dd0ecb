// Quick self-check in chat (issue #7 item 6). Before the thunderstorm season (and on the schedule
// a site sets, SELF_CHECK_CRON), every key unit due a self-check gets a SELF_CHECK inspection with
// its category's checklist, and its managers an interactive card asking the short items (符合 /
// 不符合 / 不适用 right in the card, 「提交」). The same inspection opens in the mini-app with the
// full checklist and photos; whichever is submitted first counts, and a failed item in either
// place becomes a hazard (core/inspection/code-inspection.ts submitInspection).
import type { Effects } from '../effects';
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import { label } from '../domain/labels';
import { shanghaiDate } from '../domain/working-days';
import { NotFoundError, PermissionError, ValidationError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { checklistById, currentChecklist, shortItems } from './checklists';
import { submitInspection, type SubmitOptions, type SubmitResult } from './code-inspection';

/** What a run did. */
export interface SelfCheckRun {
  inspectionIds: string[];
  deliveryIds: string[];
}

/**
 * Opens a self-check for every active unit with a manager that has had no self-check or code
 * inspection in the last `intervalDays`, and queues the card to its managers. Running it again
 * opens nothing new for the same units (they are then not due).
 */
export async function startSelfChecks(
  prisma: PrismaClient,
  opts: { now?: Date; intervalDays: number; publicBaseUrl: string },
): Promise<SelfCheckRun> {
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - opts.intervalDays * 86_400_000);
  const units = await prisma.unit.findMany({
    where: { active: true, inspections: { none: { mode: { in: ['SELF_CHECK', 'CODE'] }, startedAt: { gte: since } } } },
    select: { id: true, category: true },
    orderBy: { id: 'asc' },
  });
  const out: SelfCheckRun = { inspectionIds: [], deliveryIds: [] };
  for (const unit of units) {
    // Roles are filtered in code (the PGlite adapter sends enum arrays as strings).
    const managers = (
      await prisma.person.findMany({ where: { unitId: unit.id, active: true }, select: { id: true, roles: true } })
    ).filter((p) => p.roles.includes('UNIT_MANAGER'));
    if (managers.length === 0) continue;
    const res = await prisma.$transaction(async (tx) => {
      const checklist = await currentChecklist(tx, unit.category);
      const insp = await tx.inspection.create({
        data: {
          mode: 'SELF_CHECK',
          unitId: unit.id,
          checklistId: checklist.id,
          inspectorIds: managers.map((m) => m.id),
          startedAt: now,
        },
      });
      await appendAudit(tx, {
        actorKind: 'SYSTEM',
        action: 'inspection.started',
        subjectType: 'inspection',
        subjectId: insp.id,
        data: {
          via: 'timer',
          unitId: unit.id,
          mode: 'SELF_CHECK',
          checklist: checklist.key,
          version: checklist.version,
        },
      });
      const data = await selfCheckCardData(tx, insp.id, opts);
      const ids = await addDeliveries(
        tx,
        managers.map((m) => ({
          purpose: 'inspection.self-check',
          channel: 'CARD' as const,
          template: 'self-check',
          data,
          recipientPersonId: m.id,
          priority: 6,
          subjectType: 'inspection',
          subjectId: insp.id,
        })),
      );
      return { inspectionId: insp.id, deliveryIds: ids };
    });
    out.inspectionIds.push(res.inspectionId);
    out.deliveryIds.push(...res.deliveryIds);
  }
  return out;
}

/** Data of the `self-check` card of an inspection, as it stands now (first send and refreshes). */
export async function selfCheckCardData(tx: Tx, inspectionId: string, opts: { publicBaseUrl: string }) {
  const insp = await tx.inspection.findUniqueOrThrow({
    where: { id: inspectionId },
    include: { unit: { select: { name: true } }, items: true },
  });
  const checklist = await checklistById(tx, insp.checklistId);
  const answers = new Map(insp.items.map((i) => [i.itemKey, i.result]));
  const open = insp.status === 'IN_PROGRESS';
  const failed = insp.items.filter((i) => i.result === 'FAIL').length;
  const by = insp.status !== 'IN_PROGRESS' ? await submittedBy(tx, insp.id) : '';
  return {
    inspectionId: insp.id,
    unit: { name: insp.unit?.name ?? '' },
    checklist: checklist.name,
    startedAt: shanghaiDate(insp.startedAt),
    items: shortItems(checklist.items).map((i) => ({
      key: i.key,
      text: i.text,
      answer: answers.has(i.key) ? label('ItemResult', answers.get(i.key)!) : undefined,
    })),
    detailUrl: `${opts.publicBaseUrl.replace(/\/$/, '')}/m/inspections/${encodeURIComponent(insp.id)}`,
    status: open
      ? undefined
      : {
          text: `${by}已提交自查（得分 ${insp.score ?? '—'} 分）${failed > 0 ? `，${failed} 项不符合已登记为隐患` : '，全部符合'}`.slice(
            0,
            100,
          ),
          actionsVisible: false,
          state:
            failed > 0
              ? { label: `已提交·${failed} 项不符合`, tone: 'orange' }
              : { label: '已提交·全部符合', tone: 'green' },
        },
  };
}

async function submittedBy(tx: Tx, inspectionId: string): Promise<string> {
  const e = await tx.auditEvent.findFirst({
    where: { subjectType: 'inspection', subjectId: inspectionId, action: 'inspection.submitted' },
    orderBy: { id: 'desc' },
    select: { actorPersonId: true },
  });
  const p = e?.actorPersonId
    ? await tx.person.findUnique({ where: { id: e.actorPersonId }, select: { name: true } })
    : null;
  return p ? `${p.name} ` : '';
}

const answer = z.enum(['PASS', 'FAIL', 'NA']);

/**
 * The card's 「提交」: `params` carries the choice fields a1 … a6 (the card's short items in order).
 * Every asked item must be answered; a failed one becomes a hazard (without photo: the full
 * checklist in the mini-app takes photos).
 */
export async function submitSelfCheckCard(
  prisma: PrismaClient,
  personId: string,
  inspectionId: string,
  params: Record<string, unknown>,
  opts: Pick<SubmitOptions, 'publicBaseUrl' | 'now' | 'plan'>,
): Promise<SubmitResult & Effects> {
  const insp = await prisma.inspection.findUnique({
    where: { id: inspectionId },
    select: { checklistId: true, inspectorIds: true },
  });
  if (!insp) throw new NotFoundError('INSPECTION_NOT_FOUND', '该自查不存在或已被删除');
  if (!insp.inspectorIds.includes(personId))
    throw new PermissionError('只有该单位的负责人可以提交自查', 'NOT_INSPECTOR');
  const asked = shortItems((await checklistById(prisma, insp.checklistId)).items);
  const items = asked.map((item, n) => {
    const a = answer.safeParse(params[`a${n + 1}`]);
    if (!a.success)
      throw new ValidationError(`第 ${n + 1} 项「${item.text}」尚未选择，请选择后再提交`, { item: item.key });
    return { key: item.key, result: a.data };
  });
  const res = await submitInspection(
    prisma,
    personId,
    inspectionId,
    { items },
    { ...opts, source: 'SELF_CHECK', items: 'short', via: 'card' },
  );
  // The unit's other managers got the same card: it shows the submission on theirs too.
  return { ...res, refresh: [{ subjectType: 'inspection', subjectId: res.inspectionId }] };
}
