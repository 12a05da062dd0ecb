// The short notice after a warning's update or cancellation: the people a work notice, DING or robot
// message of the first line reached, in units that have not answered, are told again on the same
// channel. A robot 1:1 message cannot be changed once sent (robot_1_0 has no update, only a recall),
// so the cancellation goes to every person a robot message reached, answered or not (their robot
// messages are recalled after it): it is the only way they learn the warning was lifted
// (docs/warning-broadcast.md).
import type { Tx } from '../db';
import type { NewDelivery } from '../outbox/add-deliveries';
import { callData } from './fan-out';
import { ackPageUrl } from './links';
import { unitSubjectId, UNIT_SUBJECT, type WarningBase } from './warning-cards';

/** Channels whose copies get a short notice. */
export type NoticeChannel = 'WORK_NOTICE' | 'DING' | 'ROBOT_OTO';

/**
 * The short notice after an update or the cancellation, to the people of units whose first line
 * was one of `channels` and that have not answered (same channel, one text for all); a
 * cancellation reaches every ROBOT_OTO unit.
 */
export async function shortNotices(
  tx: Tx,
  b: WarningBase,
  call: 'UPDATE' | 'CANCEL',
  channels: NoticeChannel[],
  now: Date,
  publicBaseUrl: string,
): Promise<NewDelivery[]> {
  const rows = await tx.warningUnit.findMany({
    where: {
      warningId: b.w.id,
      unreachable: null,
      channel: { in: channels },
      OR: [{ answeredAt: null }, ...(call === 'CANCEL' ? [{ channel: 'ROBOT_OTO' }] : [])],
    },
    select: { unitId: true, channel: true },
  });
  if (rows.length === 0) return [];
  const channelOf = new Map(rows.map((r) => [r.unitId, r.channel as NoticeChannel]));
  // The people the first line went to (its deliveries), whatever became of them since.
  const sent = await tx.delivery.findMany({
    where: {
      subjectType: UNIT_SUBJECT,
      subjectId: { in: rows.map((r) => unitSubjectId(b.w.id, r.unitId)) },
      // A robot message refused for the robot's permission went as a work notice (`.fallback`).
      purpose: { in: ['warning.first-line', 'warning.first-line.fallback'] },
      status: 'SENT',
    },
    select: { recipientPersonId: true, subjectId: true, priority: true },
  });
  const purpose = call === 'UPDATE' ? `warning.update-notice.v${b.w.version}` : 'warning.cancel-notice';
  const data = Object.fromEntries(
    channels.map((c) => [c, callData(b, call, now, ackPageUrl(publicBaseUrl, b.w.id, 'UPDATE', c))]),
  );
  return sent.flatMap((d) => {
    const unitId = d.subjectId!.slice(d.subjectId!.lastIndexOf('|') + 1);
    const channel = channelOf.get(unitId);
    if (!channel || !d.recipientPersonId) return [];
    return [
      {
        purpose,
        channel,
        template: 'warning-call',
        data: data[channel]!,
        recipientPersonId: d.recipientPersonId,
        priority: d.priority,
        statutory: true,
        subjectType: UNIT_SUBJECT,
        subjectId: d.subjectId!,
      },
    ];
  });
}
