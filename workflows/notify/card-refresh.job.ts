// notify.card-refresh: every card about a subject, for every recipient, is updated in place to
// show the subject's current state (issue #4 part 5). Goes through the quota limiter like any call.
import { z } from 'zod';
import type { CardPayload } from '../../templates';
import { defineJob } from '../job';
import { cardDataBuilder } from './card-data';

export const cardRefreshJob = defineJob({
  name: 'notify.card-refresh',
  queue: 'notify',
  schema: z.object({ subjectType: z.string().min(1), subjectId: z.string().min(1) }),
  defaults: { priority: 2 },
  async handle({ subjectType, subjectId }, _job, { deps }) {
    const cards = await deps.prisma.cardInstance.findMany({ where: { subjectType, subjectId } });
    const dataByKind = new Map<string, unknown>();
    let updated = 0;
    for (const card of cards) {
      if (!dataByKind.has(card.kind)) {
        dataByKind.set(card.kind, await cardDataBuilder(card.kind)(deps.prisma, subjectId, { publicBaseUrl: deps.publicBaseUrl }));
      }
      const rendered = deps.render(card.kind, dataByKind.get(card.kind), 'CARD') as CardPayload;
      await deps.dingtalk.cardUpdate({ outTrackId: card.outTrackId, cardParamMap: rendered.cardParamMap, mergeByKey: true });
      await deps.prisma.cardInstance.update({
        where: { outTrackId: card.outTrackId },
        data: { data: rendered.cardParamMap, version: { increment: 1 } },
      });
      updated++;
    }
    return { updated };
  },
});
