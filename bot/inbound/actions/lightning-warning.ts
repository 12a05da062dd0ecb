// 「收到」 on a warning card (issue #20): on a unit's own card (the one-card-per-unit design) or on a
// shared card, whose clicker is found through their own delivery on the instance (it also says
// which call the card was: the first line or a reminder). The answer is the clicker's card as it
// is now: the shared card's own part in their private data, a unit card whole. The unit's other
// copies and the regulators' rate follow after commit (the answer's effects).
import { PermissionError } from '../../../core/errors';
import { SHARED_SUBJECT } from '../../../core/outbox/shared-card';
import { acknowledgeWarning } from '../../../core/warning/acknowledge-warning';
import { callOfPurpose } from '../../../core/warning/links';
import { parseUnitSubject, personalCardData, UNIT_SUBJECT } from '../../../core/warning/warning-cards';
import { lightningWarningOwnParams } from '../../../templates/notices/lightning-warning';
import type { KindActions } from '../card-action-types';
import { privateNote, publicCard, UPDATE } from './answers';

/** The actions of the lightning-warning card. */
export const lightningWarningActions: KindActions = {
  ack: async (deps, { card, person }) => {
    if (card.subjectType !== SHARED_SUBJECT && card.subjectType !== UNIT_SUBJECT) return privateNote('暂不支持该操作');
    const shared = card.subjectType === SHARED_SUBJECT;
    const delivery = shared
      ? await deps.prisma.delivery.findFirst({
          where: { externalId: card.outTrackId, recipientPersonId: person.id, channel: 'CARD_SHARED' },
        })
      : await deps.prisma.delivery.findFirst({ where: { outTrackId: card.outTrackId } });
    if (!delivery?.subjectId || (!shared && delivery.recipientPersonId !== person.id))
      throw new PermissionError('您不是这张预警卡片的接收人，请在本人收到的预警消息中确认');
    const { warningId } = parseUnitSubject(delivery.subjectId);
    const via = `${callOfPurpose(delivery.purpose) ?? 'FIRST_LINE'}/${delivery.channel}`;
    const res = await acknowledgeWarning(deps.prisma, warningId, person.id, { via });
    deps.logger.info(
      { warningId, unitId: res.unitId, personId: person.id, via, already: res.alreadyAcknowledged },
      '雷电预警已确认收到',
    );
    await deps.apply(res);
    if (!shared) return publicCard(deps, card.kind, delivery.subjectId);
    // A shared card: the clicker's own part is what changed (a few variables from their unit's fields).
    const own = await deps.prisma.$transaction(async (tx) =>
      (
        await personalCardData(
          tx,
          [{ id: delivery.id, subjectId: delivery.subjectId, data: delivery.data }],
          new Date(),
        )
      ).get(delivery.id),
    );
    return { userPrivateData: { cardParamMap: own ? lightningWarningOwnParams(own) : {} }, cardUpdateOptions: UPDATE };
  },
};
