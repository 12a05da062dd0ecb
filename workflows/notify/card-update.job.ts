// notify.card-update: one card brought up to date, one update at a time and spaced (#19 item 3).
// A refresh (notify.card-refresh) only counts a wish on the card's row (`refreshWanted`); this job
// takes a lease on the row, builds the card's data from the record as it is now, sends one
// update, and records how many wishes that update covered (`refreshDone`). Wishes made meanwhile
// make the holder schedule the next update `DINGTALK_CARD_UPDATE_SPACING_MS` after this one, so a
// burst of clicks becomes one update per spacing with the latest state (coalesced), updates of one
// card never overlap or arrive out of order, and a per-card update limit is never met. A refused
// update (quota) waits in the limiter and goes again; a failed one keeps its wish, retried by the
// job's attempts and, after those, by the reconciler. Everything is in Postgres: losing Redis
// loses no wish. DingTalk publishes no per-card update limit (UNCONFIRMED, docs/cards.md).
import { z } from 'zod';
import { isPermanentDingTalkError } from '../../bot/clients/errors';
import { currentCard } from '../../bot/cards/current-card';
import { isStandardCard, standardCardJson, standardCardSettings } from '../../bot/channels/standard-card';
import { getTemplate } from '../../templates';
import type { WorkflowDeps } from '../deps';
import { defineJob } from '../job';
import type { JobQueues } from '../job-queues';
import type { CardInstanceModel } from '../../core/db';
import { SHARED_SUBJECT } from '../../core/outbox/shared-card';
import { sharedWarningCardUpdate } from '../warning/shared-instance';
import type { CardUpdateData } from './shared-card';

/** How long an update may hold its card (the limiter may hold a refused call up to 10 minutes). */
const LEASE_MS = 15 * 60_000;

/** Spacing between two updates of one card (DINGTALK_CARD_UPDATE_SPACING_MS). */
function spacingOf(deps: Pick<WorkflowDeps, 'config'>): number {
  return deps.config.dingtalk.cardUpdateSpacingMs;
}

/** Queues the update of one card at `at` (one job per card and moment: asking twice adds nothing). */
export async function scheduleCardUpdate(queues: JobQueues, outTrackId: string, at: Date): Promise<void> {
  const delay = Math.max(0, at.getTime() - Date.now());
  await queues.enqueue('notify.card-update', { outTrackId }, { jobId: `cu-${outTrackId}-${at.getTime()}`, delay });
}

/** When a card may next be updated: now, or one spacing after its last update. */
function nextSlot(lastUpdateAt: Date | null, spacingMs: number, now = Date.now()): Date {
  return new Date(Math.max(now, (lastUpdateAt?.getTime() ?? 0) + spacingMs));
}

/** The cards a refresh asks for, counted on their rows; returns how many cards were asked. */
export async function requestCardUpdates(
  deps: Pick<WorkflowDeps, 'prisma' | 'queues' | 'config'>,
  where: { subjectType: string; subjectId: string; prefix?: boolean; outTrackId?: string },
  note?: { outTrackId: string; text: string },
): Promise<number> {
  const rows = await deps.prisma.$queryRaw<
    Array<{ outTrackId: string; live: boolean; updatingUntil: Date | null; lastUpdateAt: Date | null }>
  >`
    UPDATE "CardInstance"
    SET "refreshWanted" = "refreshWanted" + 1,
        "wantedAt" = COALESCE("wantedAt", now()),
        "pendingNote" = CASE WHEN "outTrackId" = ${note?.outTrackId ?? ''}::text THEN ${note?.text ?? null}::text
                             ELSE "pendingNote" END,
        "updatedAt" = now()
    WHERE "subjectType" = ${where.subjectType}
      AND CASE WHEN ${where.prefix === true}::boolean THEN starts_with("subjectId", ${where.subjectId})
               ELSE "subjectId" = ${where.subjectId} END
      AND (${where.outTrackId ?? null}::text IS NULL OR "outTrackId" = ${where.outTrackId ?? null})
    RETURNING "outTrackId", live, "updatingUntil", "lastUpdateAt"`;
  const now = Date.now();
  const spacing = spacingOf(deps);
  // A card not yet live is updated once its create is confirmed (send job); a card whose update is
  // under way is rescheduled by that update when it ends (it sees the new wish).
  const due = rows.filter((r) => r.live && (!r.updatingUntil || r.updatingUntil.getTime() < now));
  const jobs = due.map((r) => {
    const at = nextSlot(r.lastUpdateAt, spacing, now);
    return {
      payload: { outTrackId: r.outTrackId },
      opts: { jobId: `cu-${r.outTrackId}-${at.getTime()}`, delay: Math.max(0, at.getTime() - now) },
    };
  });
  for (let i = 0; i < jobs.length; i += 1000)
    await deps.queues.enqueueBulk('notify.card-update', jobs.slice(i, i + 1000));
  return rows.length;
}

/** Live cards with a wish older than `graceMs` and no update under way: scheduled again (reconciler). */
export async function reconcileCardUpdates(deps: WorkflowDeps, graceMs = 60_000): Promise<number> {
  const rows = await deps.prisma.$queryRaw<Array<{ outTrackId: string; lastUpdateAt: Date | null }>>`
    SELECT "outTrackId", "lastUpdateAt" FROM "CardInstance"
    WHERE live AND "refreshWanted" > "refreshDone"
      AND "wantedAt" < now() - make_interval(secs => ${graceMs / 1000})
      AND ("updatingUntil" IS NULL OR "updatingUntil" < now())
    LIMIT 5000`;
  for (const r of rows) await scheduleCardUpdate(deps.queues, r.outTrackId, nextSlot(r.lastUpdateAt, spacingOf(deps)));
  if (rows.length > 0) deps.logger.info({ cards: rows.length }, '对账：已重新排队未完成的卡片更新');
  return rows.length;
}

/** A leased card row, with its recipient's DingTalk userId. */
type LeasedCard = CardInstanceModel & { recipient: { dingUserId: string | null } | null };

/**
 * One recipient's card: the kind's data for its subject, and per-user data for that recipient
 * only (e.g. who may still press the buttons). A note shown earlier to the recipient only (a
 * refusal, "already done") would hide the new public status line: the recipient's private copy of
 * it is reset to the public one.
 */
async function personalCardUpdate(deps: WorkflowDeps, card: LeasedCard): Promise<CardUpdateData> {
  const userId = card.recipient?.dingUserId ?? undefined;
  const rendered = await currentCard(deps, card.kind, card.subjectId, userId);
  const own = rendered.own;
  const reset =
    rendered.cardParamMap.statusText !== undefined
      ? { statusText: rendered.cardParamMap.statusText, statusVisible: rendered.cardParamMap.statusVisible ?? 'false' }
      : undefined;
  const noted = card.pendingNote ? { statusText: card.pendingNote, statusVisible: 'true' } : undefined;
  return {
    cardParamMap: rendered.cardParamMap,
    privateData: userId && (own || reset || noted) ? { [userId]: { ...reset, ...own, ...noted } } : undefined,
  };
}

/** Shared cards (one instance, many recipients) by kind: the whole card, every recipient's part. */
const SHARED_UPDATES: Record<string, (deps: WorkflowDeps, card: LeasedCard) => Promise<CardUpdateData | undefined>> = {
  'lightning-warning': (deps, card) => sharedWarningCardUpdate(deps, card.outTrackId),
};

export const cardUpdateJob = defineJob({
  name: 'notify.card-update',
  queue: 'notify',
  schema: z.object({ outTrackId: z.string().min(1) }),
  defaults: { priority: 2, removeOnComplete: true },
  async handle({ outTrackId }, _job, { deps }) {
    const { prisma } = deps;
    const spacing = spacingOf(deps);
    const now = new Date();
    // The lease: a live card with a wish, no update under way, and its spacing passed.
    const [card] = await prisma.cardInstance.updateManyAndReturn({
      where: {
        outTrackId,
        live: true,
        refreshWanted: { gt: prisma.cardInstance.fields.refreshDone },
        OR: [{ updatingUntil: null }, { updatingUntil: { lt: now } }],
        AND: [{ OR: [{ lastUpdateAt: null }, { lastUpdateAt: { lte: new Date(now.getTime() - spacing) } }] }],
      },
      data: { updatingUntil: new Date(now.getTime() + LEASE_MS) },
      include: { recipient: { select: { dingUserId: true } } },
    });
    if (!card) {
      // Too early (a wish within the spacing): come back when it has passed. Otherwise nothing to do,
      // or the update under way will see the wish.
      const c = await prisma.cardInstance.findUnique({ where: { outTrackId } });
      const idle = c && (!c.updatingUntil || c.updatingUntil < now);
      if (c?.live && idle && c.refreshWanted > c.refreshDone)
        await scheduleCardUpdate(deps.queues, outTrackId, nextSlot(c.lastUpdateAt, spacing));
      return { updated: false };
    }
    let sent: CardUpdateData | undefined;
    try {
      const build = card.subjectType === SHARED_SUBJECT ? SHARED_UPDATES[card.kind] : personalCardUpdate;
      sent = build ? await build(deps, card) : undefined;
      if (sent && isStandardCard(card.templateId)) {
        // A 普通版 card is replaced whole, with its recipient's own state written in.
        const userId = card.recipient?.dingUserId;
        const own = userId ? sent.privateData?.[userId] : undefined;
        await deps.dingtalk.robotCardUpdate({
          cardBizId: outTrackId,
          cardData: standardCardJson(
            standardCardSettings(deps.config.dingtalk, deps.publicBaseUrl),
            getTemplate(card.kind).card?.layout ?? card.kind,
            { ...sent.cardParamMap, ...own },
            outTrackId,
          ),
        });
      } else if (sent) await deps.dingtalk.cardUpdate({ outTrackId, ...sent, mergeByKey: true });
    } catch (err) {
      // A card DingTalk no longer has, or data that cannot be sent, will not get better: the wish
      // is dropped (logged once by the worker). Anything else keeps it for the retry.
      const permanent = isPermanentDingTalkError(err);
      await prisma.cardInstance.update({
        where: { outTrackId },
        data: {
          updatingUntil: null,
          ...(permanent ? { refreshDone: card.refreshWanted, wantedAt: null, pendingNote: null } : {}),
        },
      });
      throw err;
    }
    // Release: the wishes up to the lease are done; one made meanwhile asks for the next update.
    const [after] = await prisma.$queryRaw<Array<{ refreshWanted: number; refreshDone: number; lastUpdateAt: Date }>>`
      UPDATE "CardInstance"
      SET "updatingUntil" = NULL,
          "lastUpdateAt" = ${new Date()},
          "refreshDone" = ${card.refreshWanted},
          "wantedAt" = CASE WHEN "refreshWanted" > ${card.refreshWanted} THEN "wantedAt" ELSE NULL END,
          "pendingNote" = CASE WHEN "refreshWanted" > ${card.refreshWanted} THEN "pendingNote" ELSE NULL END,
          "data" = COALESCE(${sent ? JSON.stringify(sent.cardParamMap) : null}::jsonb, "data"),
          "version" = "version" + ${sent ? 1 : 0},
          "updatedAt" = now()
      WHERE "outTrackId" = ${outTrackId}
      RETURNING "refreshWanted", "refreshDone", "lastUpdateAt"`;
    if (after && after.refreshWanted > after.refreshDone)
      await scheduleCardUpdate(deps.queues, outTrackId, nextSlot(after.lastUpdateAt, spacing));
    return { updated: sent !== undefined };
  },
});
