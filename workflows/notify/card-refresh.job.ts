// notify.card-refresh: every card about a subject, for every recipient, is updated in place to
// show the subject's current state (issue #4 part 5). Goes through the quota limiter like any call.
import { z } from 'zod';
import type { CardPayload } from '../../templates';
import { defineJob } from '../job';
import { cardDataBuilder } from './card-data';

export const cardRefreshJob = defineJob({
  name: 'notify.card-refresh',
  queue: 'notify',
  // prefix: every subject id starting with subjectId (e.g. every unit's cards about one warning).
  schema: z.object({
    subjectType: z.string().min(1),
    subjectId: z.string().min(1),
    prefix: z.boolean().optional(),
    /** Refresh only this card of the subject, with a note for its recipient (why their click decided nothing). */
    note: z.object({ outTrackId: z.string().min(1), text: z.string().min(1).max(200) }).optional(),
    /** Refresh only this card of the subject (one whose create was confirmed after the subject moved on). */
    outTrackId: z.string().min(1).optional(),
  }),
  defaults: { priority: 2 },
  async handle({ subjectType, subjectId, prefix, note, outTrackId }, _job, { deps }) {
    const where = {
      subjectType,
      subjectId: prefix ? { startsWith: subjectId } : subjectId,
      ...(note || outTrackId ? { outTrackId: note?.outTrackId ?? outTrackId } : {}),
    };
    // A card whose create DingTalk has not confirmed yet cannot be updated: it is marked, and the
    // send job asks for its refresh once the create is confirmed (#19).
    await deps.prisma.cardInstance.updateMany({ where: { ...where, live: false }, data: { wantedAt: new Date() } });
    const cards = await deps.prisma.cardInstance.findMany({
      where: { ...where, live: true },
      include: { recipient: { select: { dingUserId: true } } },
      orderBy: { subjectId: 'asc' },
    });
    const dataByKind = new Map<string, unknown>();
    let updated = 0;
    for (const card of cards) {
      const key = `${card.kind}|${card.subjectId}`;
      if (!dataByKind.has(key)) {
        dataByKind.set(
          key,
          await cardDataBuilder(card.kind)(deps.prisma, card.subjectId, {
            publicBaseUrl: deps.publicBaseUrl,
            config: deps.config,
          }),
        );
      }
      const rendered = deps.render(card.kind, dataByKind.get(key), 'CARD') as CardPayload;
      // Per-user data too (e.g. who may still press the buttons), for the recipient of this card only.
      // A note shown earlier to the recipient only (a refusal, "already done") would hide the new
      // public status line: the recipient's private copy of it is reset to the public one.
      const userId = card.recipient?.dingUserId;
      const own = userId ? rendered.privateData?.[userId]?.cardParamMap : undefined;
      const reset =
        rendered.cardParamMap.statusText !== undefined
          ? {
              statusText: rendered.cardParamMap.statusText,
              statusVisible: rendered.cardParamMap.statusVisible ?? 'false',
            }
          : undefined;
      const noted = note ? { statusText: note.text, statusVisible: 'true' } : undefined;
      await deps.dingtalk.cardUpdate({
        outTrackId: card.outTrackId,
        cardParamMap: rendered.cardParamMap,
        privateData: userId && (own || reset || noted) ? { [userId]: { ...reset, ...own, ...noted } } : undefined,
        mergeByKey: true,
      });
      await deps.prisma.cardInstance.update({
        where: { outTrackId: card.outTrackId },
        data: { data: rendered.cardParamMap, version: { increment: 1 }, wantedAt: null },
      });
      updated++;
    }
    return { updated };
  },
});
