// The first line of a warning (issue #20): which channel takes which key unit. DingTalk's quota
// is per call, so what counts is recipients per call (docs/warning-broadcast.md):
//   WORK_NOTICE  OA work notice, 100 people a call, but at most DINGTALK_WORK_NOTICE_PER_MINUTE
//                (5,000) people a minute per app: it takes units while that budget lasts;
//   CARD_SHARED  one interactive card delivered to up to DINGTALK_CARD_SPACES_PER_CALL robot chats
//                per call, each unit's part in private data: no per-minute cap;
//   CARD         one interactive card per unit (the design before #20: one call per unit);
//   DING         in-app DING, 200 a call, metered and only on paid editions (answer by its link);
//   ROBOT_OTO    a robot 1:1 message (robot_1_0 BatchSendOTO, up to DINGTALK_BATCH_MAX, 20, userIds a
//                call) as a sampleActionCard whose 「收到」 button opens the mini-app's one-tap page
//                (docs/dingtalk-wire.md §3): needs no template, answered by its link.
// Channels have separate quotas, so a split between work notices and shared cards runs both at
// full speed at once. The per-level choice is a setting (WARNING_FIRST_LINE). A shared card needs a
// template built in the tenant (a 普通版 card cannot carry per-recipient private data): without
// one, CARD_SHARED is replaced by WARNING_SHARED_CARD_FALLBACK (effectiveFirstLines).
import type { Tx, WarningLevel } from '../db';

/** Channels a first line can use. */
export const FIRST_LINE_CHANNELS = ['WORK_NOTICE', 'CARD_SHARED', 'CARD', 'DING', 'ROBOT_OTO'] as const;
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

/** The notice kind whose DINGTALK_CARD_TEMPLATES entry a shared warning card is built from. */
export const SHARED_WARNING_CARD = 'lightning-warning';

/**
 * What takes CARD_SHARED's units when the tenant has no template for the shared warning card
 * (DINGTALK_CARD_TEMPLATES has no `lightning-warning`): robot 1:1 messages (default: 400 people a
 * second at 20 calls a second, no per-minute cap published) or work notices in the next minutes
 * (5,000 people a minute; docs/warning-broadcast.md).
 */
export const SHARED_CARD_FALLBACKS = ['ROBOT_OTO', 'WORK_NOTICE'] as const;
/** One of them. */
export type SharedCardFallback = (typeof SHARED_CARD_FALLBACKS)[number];

/**
 * The first lines as used: without a shared-card template CARD_SHARED is never chosen, its place
 * taken by `fallback` (kept once, where it first appears), so no unit is given a card the tenant
 * cannot show.
 */
export function effectiveFirstLines(
  lines: FirstLines,
  sharedCardTemplate: boolean,
  fallback: SharedCardFallback,
): FirstLines {
  if (sharedCardTemplate) return lines;
  const out = {} as FirstLines;
  for (const [level, channels] of Object.entries(lines) as Array<[WarningLevel, FirstLineChannel[]]>)
    out[level] = [...new Set(channels.map((c) => (c === 'CARD_SHARED' ? fallback : c)))];
  return out;
}

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
