// notify.card-refresh: every card about a subject, for every recipient, is updated in place to
// show the subject's current state (issue #4 part 5). The refresh asks each card for an update;
// notify.card-update sends them one at a time per card, coalesced and spaced (#19 item 3).
import { z } from 'zod';
import { defineJob } from '../job';
import { requestCardUpdates } from './card-update.job';

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
    /** Refresh only this card of the subject. */
    outTrackId: z.string().min(1).optional(),
  }),
  defaults: { priority: 2 },
  async handle({ subjectType, subjectId, prefix, note, outTrackId }, _job, { deps }) {
    const asked = await requestCardUpdates(
      deps,
      { subjectType, subjectId, prefix, outTrackId: note?.outTrackId ?? outTrackId },
      note,
    );
    return { asked };
  },
});
