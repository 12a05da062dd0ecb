// The full timeline of a hazard in one call (issue #4 part 9): every audit event about the hazard
// and its extension requests, with who acted, when, through which channel, before and after.
import type { PrismaClient } from '../db';

const LABELS: Record<string, string> = {
  'hazard.filed': '登记隐患',
  'hazard.acknowledged': '确认知悉',
  'hazard.rectification.submitted': '提交整改',
  'hazard.rectification.rejected': '复核驳回',
  'hazard.closed': '复核通过，隐患销号',
  'hazard.extension.requested': '申请延期',
  'hazard.extension.approved': '同意延期',
  'hazard.extension.rejected': '不同意延期',
  'hazard.deadline.extended': '整改期限已延长',
  'hazard.reminded': '到期提醒',
  'hazard.overdue': '逾期未整改',
  'hazard.escalated': '逾期升级（约谈）',
  'card.action.refused': '无权操作，已拒绝',
};

/** One entry of the timeline. */
export interface TimelineEntry {
  at: string;
  action: string;
  label: string;
  actor: { id: string; name: string } | null;
  actorKind: string;
  via: string | null;
  data: unknown;
}

/** The hazard's timeline, oldest first. */
export async function hazardTimeline(prisma: PrismaClient, hazardId: string): Promise<TimelineEntry[]> {
  const exts = await prisma.extensionRequest.findMany({ where: { hazardId }, select: { id: true } });
  const events = await prisma.auditEvent.findMany({
    where: {
      OR: [
        { subjectType: 'hazard', subjectId: hazardId },
        ...(exts.length > 0 ? [{ subjectType: 'extension', subjectId: { in: exts.map((e) => e.id) } }] : []),
      ],
    },
    orderBy: { id: 'asc' },
  });
  const ids = [...new Set(events.map((e) => e.actorPersonId).filter((x): x is string => Boolean(x)))];
  const people = new Map(
    (await prisma.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => [
      p.id,
      p,
    ]),
  );
  return events.map((e) => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    return {
      at: e.at.toISOString(),
      action: e.action,
      label: LABELS[e.action] ?? e.action,
      actor: e.actorPersonId ? (people.get(e.actorPersonId) ?? null) : null,
      actorKind: e.actorKind,
      via: typeof data['via'] === 'string' ? (data['via'] as string) : null,
      data,
    };
  });
}
