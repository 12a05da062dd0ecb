// A person left the organisation in DingTalk (contact event user_leave_org): they must lose access
// at once (sessions re-check `active` on every request) and receive nothing further.
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';

/** Deactivates the active persons bound to these DingTalk userIds, with one audit event each; returns their ids. */
export async function deactivateLeavers(
  prisma: PrismaClient,
  dingUserIds: readonly string[],
  source: { eventId?: string },
): Promise<string[]> {
  if (dingUserIds.length === 0) return [];
  return prisma.$transaction(async (tx) => {
    const persons = await tx.person.findMany({
      where: { dingUserId: { in: [...dingUserIds] }, active: true },
      select: { id: true },
    });
    for (const p of persons) {
      await tx.person.update({ where: { id: p.id }, data: { active: false } });
      await appendAudit(tx, {
        actorKind: 'DINGTALK',
        action: 'person.deactivated',
        subjectType: 'person',
        subjectId: p.id,
        data: { reason: 'user_leave_org', eventId: source.eventId ?? null },
      });
    }
    return persons.map((p) => p.id);
  });
}
