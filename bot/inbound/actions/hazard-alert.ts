// 「已知悉」 on a hazard's alert card: the unit's manager or legal representative confirms having
// read it (core/hazard/acknowledge.ts checks who may); a second click changes nothing.
import { acknowledgeHazard } from '../../../core/hazard/acknowledge';
import type { KindActions } from '../card-action-types';
import { privateNote } from './answers';
import { hazardDone, shanghaiMinute } from './hazard-done';

/** The actions of the hazard-alert card. */
export const hazardAlertActions: KindActions = {
  ack: async (deps, click) => {
    const res = await acknowledgeHazard(deps.prisma, click.card.subjectId, click.person.id, 'card');
    if (res.alreadyAcknowledged) return privateNote(`您已于 ${shanghaiMinute(res.at)} 确认知悉，无需重复操作`);
    await deps.apply(res);
    return hazardDone(deps, click);
  },
};
