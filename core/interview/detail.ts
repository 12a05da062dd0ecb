// One interview as the mini-app shows it (/m/interviews/:id): the summons, who confirmed, the
// outcome and the follow-up tasks, with what the viewer may do now (confirm, ask to reschedule,
// answer with a new time, record the outcome, close a task). The guard (core/authz) has
// checked that the viewer's unit or jurisdiction covers the interview.
import type { PrismaClient } from '../db';
import { label } from '../domain/labels';
import { DEFAULT_MATERIALS } from './summons-data';

/** The interview page's data; null when the interview does not exist. */
export async function interviewDetail(
  prisma: PrismaClient,
  id: string,
  viewer: { id: string; roles: string[]; unitId: string | null },
  now = new Date(),
) {
  const iv = await prisma.interview.findUnique({
    where: { id },
    include: {
      unit: { select: { id: true, name: true, uscc: true, regionCode: true } },
      createdBy: { select: { name: true, org: { select: { name: true } } } },
      acks: { include: { person: { select: { name: true } } }, orderBy: { at: 'asc' } },
      tasks: { orderBy: [{ dueAt: 'asc' }, { createdAt: 'asc' }] },
      dutyAction: { select: { period: true, kind: true } },
    },
  });
  if (!iv) return null;
  const open = iv.status === 'NOTIFIED' || iv.status === 'ACKNOWLEDGED';
  const ofUnit = viewer.unitId === iv.unitId && viewer.roles.some((r) => r === 'UNIT_MANAGER' || r === 'LEGAL_REP');
  return {
    id: iv.id,
    unit: iv.unit,
    status: iv.status,
    statusLabel: label('InterviewStatus', iv.status),
    reason: iv.reason,
    scheduledAt: iv.scheduledAt.toISOString(),
    place: iv.place,
    host: iv.createdBy.org?.name ?? null,
    contact: iv.createdBy.name,
    materials: iv.materials.length > 0 ? iv.materials : DEFAULT_MATERIALS,
    ackDueAt: iv.ackDueAt?.toISOString() ?? null,
    confirmedBy: iv.acks.filter((a) => a.version === iv.version).map((a) => a.person.name),
    rescheduleReason: iv.rescheduleReason,
    record: iv.record,
    heldAt: iv.heldAt?.toISOString() ?? null,
    reportDueAt: iv.reportDueAt?.toISOString() ?? null,
    closedAt: iv.closedAt?.toISOString() ?? null,
    period: iv.dutyAction?.period ?? null,
    tasks: iv.tasks.map((t) => ({
      id: t.id,
      text: t.text,
      dueAt: t.dueAt.toISOString(),
      doneAt: t.doneAt?.toISOString() ?? null,
      note: t.note,
      late: !t.doneAt && t.dueAt < now,
      canComplete: ofUnit && !t.doneAt,
    })),
    canRecordOutcome: open && viewer.roles.includes('REGULATOR'),
    // The summons card's buttons, here too (the to-dos of these tasks open this page).
    canConfirm: open && ofUnit && !iv.acks.some((a) => a.version === iv.version && a.personId === viewer.id),
    canRequestReschedule: open && ofUnit,
    canReschedule: iv.status === 'RESCHEDULE_REQUESTED' && viewer.roles.includes('REGULATOR'),
  };
}
