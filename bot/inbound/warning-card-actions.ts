// 「收到」 on a warning card (issue #20): on a unit's own card (the one-card-per-unit design) or on a
// shared card, whose clicker is found through their own delivery on the instance (it also says
// which call the card was: the first line or a reminder). The answer is the clicker's card as it
// is now: the shared card's own part in their private data, a unit card whole. The unit's other
// copies and the regulators' rate follow after commit.
import type { PrismaClient } from '../../core/db';
import { PermissionError } from '../../core/errors';
import type { ApplyEffects } from '../../core/effects';
import type { Logger } from '../../core/logger';
import { SHARED_SUBJECT } from '../../core/outbox/shared-card';
import { acknowledgeWarning } from '../../core/warning/acknowledge-warning';
import { callOfPurpose } from '../../core/warning/links';
import {
  parseUnitSubject,
  personalCardData,
  UNIT_SUBJECT,
  unitWarningCardData,
} from '../../core/warning/warning-cards';
import type { CardPayload } from '../../templates';
import { lightningWarningOwnParams } from '../../templates/notices/lightning-warning';

/** What the warning's click needs. */
export interface WarningActionDeps {
  prisma: PrismaClient;
  logger: Logger;
  render(kind: string, data: unknown, channel: 'CARD'): unknown;
  /** Applies a command's effects after its commit (a unit's first answer: its copies, the rate). */
  apply: ApplyEffects;
}

/** The card update returned in the callback's ACK. */
export interface WarningClickAnswer {
  cardData?: { cardParamMap: Record<string, string> };
  userPrivateData?: { cardParamMap: Record<string, string> };
  cardUpdateOptions: { updateCardDataByKey: boolean; updatePrivateDataByKey: boolean };
}

/** Handles 「收到」 on a warning card; undefined when the click is not one. */
export async function handleWarningAck(
  deps: WarningActionDeps,
  card: { outTrackId: string; kind: string; subjectType: string },
  person: { id: string },
  action: string | undefined,
): Promise<WarningClickAnswer | undefined> {
  if (card.kind !== 'lightning-warning' || action !== 'ack') return undefined;
  if (card.subjectType !== SHARED_SUBJECT && card.subjectType !== UNIT_SUBJECT) return undefined;
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
  const now = new Date();
  const options = { updateCardDataByKey: true, updatePrivateDataByKey: true };
  if (!shared) {
    const data = await deps.prisma.$transaction((tx) => unitWarningCardData(tx, delivery.subjectId!, now));
    const rendered = deps.render(card.kind, data, 'CARD') as CardPayload;
    return { cardData: { cardParamMap: rendered.cardParamMap }, cardUpdateOptions: options };
  }
  const own = await deps.prisma.$transaction(async (tx) =>
    (await personalCardData(tx, [{ id: delivery.id, subjectId: delivery.subjectId, data: delivery.data }], now)).get(
      delivery.id,
    ),
  );
  return {
    userPrivateData: { cardParamMap: own ? lightningWarningOwnParams(own) : {} },
    cardUpdateOptions: options,
  };
}
