// warning.answered: a unit answered a warning (issue #20). Its people's other copies show it (their
// own part of each shared card; a unit card of the one-card-per-unit design) and the regulators'
// live rate follows (at most once a second per warning).
import { z } from 'zod';
import { unitSubjectId, UNIT_SUBJECT, WARNING_SUBJECT } from '../../core/warning/warning-cards';
import { defineJob } from '../job';
import { queueCardRefresh } from '../notify/apply-effects';
import { updateSharedCards } from './copies';

export const warningAnsweredJob = defineJob({
  name: 'warning.answered',
  queue: 'notify',
  schema: z.object({ warningId: z.string().min(1).max(64), unitId: z.string().min(1).max(64) }),
  defaults: { priority: 2 },
  async handle({ warningId, unitId }, _job, { deps }) {
    await queueCardRefresh(deps.queues, { subjectType: WARNING_SUBJECT, subjectId: warningId });
    await deps.queues.enqueue('notify.card-refresh', {
      subjectType: UNIT_SUBJECT,
      subjectId: unitSubjectId(warningId, unitId),
    });
    return { shared: await updateSharedCards(deps, warningId, unitId) };
  },
});
