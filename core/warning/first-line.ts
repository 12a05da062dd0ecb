// The first line of a warning (issue #20): which channel takes which key unit. DingTalk's quota
// is per call, so what counts is recipients per call (docs/warning-broadcast.md):
//   WORK_NOTICE  OA work notice, 100 people a call, but at most DINGTALK_WORK_NOTICE_PER_MINUTE
//                (5,000) people a minute per app: it takes units while that budget lasts;
//   CARD_SHARED  one interactive card delivered to up to DINGTALK_CARD_SPACES_PER_CALL robot chats
//                per call, each unit's part in private data: no per-minute cap;
//   CARD         one interactive card per unit (the design before #20: one call per unit);
//   DING         in-app DING, 200 a call, metered and only on paid editions (answer by its link).
// Channels have separate quotas, so a split between work notices and shared cards runs both at
// full speed at once. The per-level choice is a setting (WARNING_FIRST_LINE).
import type { Tx, WarningLevel } from '../db';

/** Channels a first line can use. */
export const FIRST_LINE_CHANNELS = ['WORK_NOTICE', 'CARD_SHARED', 'CARD', 'DING'] as const;
/** One of them. */
export type FirstLineChannel = (typeof FIRST_LINE_CHANNELS)[number];
/** Each level's channels, in order of use. */
export type FirstLines = Record<WarningLevel, FirstLineChannel[]>;

/** Work notices while the minute's budget lasts, shared cards for the rest (measured: README, bench:warning). */
export const DEFAULT_FIRST_LINE: FirstLines = {
  RED: ['WORK_NOTICE', 'CARD_SHARED'],
  ORANGE: ['WORK_NOTICE', 'CARD_SHARED'],
  YELLOW: ['WORK_NOTICE', 'CARD_SHARED'],
};

/**
 * Assigns each unit (in fan-out order) its channel: every channel but the last takes units while
 * its capacity in people lasts (work notices: `workNoticeRoom`; the others: all), the last channel
 * takes the rest. Units are never split between channels.
 */
export function assignChannels(
  units: ReadonlyArray<{ people: number }>,
  channels: readonly FirstLineChannel[],
  workNoticeRoom: number,
): FirstLineChannel[] {
  const out: FirstLineChannel[] = [];
  let c = 0;
  let room = channels[0] === 'WORK_NOTICE' ? workNoticeRoom : Number.POSITIVE_INFINITY;
  for (const u of units) {
    while (c < channels.length - 1 && room < u.people) {
      c++;
      room = channels[c] === 'WORK_NOTICE' ? workNoticeRoom : Number.POSITIVE_INFINITY;
    }
    out.push(channels[c]!);
    room -= u.people;
  }
  return out;
}

/**
 * People the app's work notices may still reach in the coming minute: the budget less the work
 * notices sent in the last minute and those already queued to go now. The send path keeps the
 * budget too (bot/channels/work-notice.channel.ts); this only decides how a fan-out splits.
 */
export async function workNoticeRoom(tx: Tx, perMinute: number, now: Date): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM "Delivery"
     WHERE channel = 'WORK_NOTICE'
       AND ((status = 'SENT' AND "sentAt" > ${new Date(now.getTime() - 61_000)})
         OR (status IN ('PENDING', 'SENDING') AND ("notBefore" IS NULL OR "notBefore" < ${new Date(now.getTime() + 60_000)})))`;
  return Math.max(0, perMinute - Number(row?.n ?? 0));
}
