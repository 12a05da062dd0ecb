// Card button clicks (stream CALLBACK /v1.0/card/instances/callback) -> core commands. The answer
// is the clicking user's updated card, returned in the callback's ACK (DingTalk wants it within
// 2 s and no update call inside the callback); every other card about the subject is refreshed by
// the notify.card-refresh job.
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import { AppError } from '../../core/errors';
import { acknowledgeHazard } from '../../core/hazard/acknowledge';
import type { Logger } from '../../core/logger';
import type { CardPayload } from '../../templates';

/** The callback as DingTalk sends it (data of the CALLBACK frame). */
export const cardCallbackSchema = z.object({
  type: z.string().optional(),
  outTrackId: z.string().min(1),
  userId: z.string().min(1),
  corpId: z.string().optional(),
  content: z.string().min(2),
});

const contentSchema = z.object({
  cardPrivateData: z.object({ actionIds: z.array(z.string()).min(1), params: z.record(z.string(), z.unknown()).default({}) }),
});

/** The card update returned in the ACK. */
export interface CardCallbackResponse {
  cardData?: { cardParamMap: Record<string, string> };
  userPrivateData?: { cardParamMap: Record<string, string> };
  cardUpdateOptions: { updateCardDataByKey: boolean; updatePrivateDataByKey: boolean };
}

/** What the handler needs. */
export interface CardActionDeps {
  prisma: PrismaClient;
  logger: Logger;
  publicBaseUrl: string;
  render(kind: string, data: unknown, channel: 'CARD'): unknown;
  refreshCards(subjectType: string, subjectId: string): Promise<void>;
  buildCardData(kind: string, subjectId: string): Promise<Record<string, unknown>>;
}

/** A message shown only to the user who clicked (private data), e.g. a refusal. */
function privateNote(text: string): CardCallbackResponse {
  return {
    userPrivateData: { cardParamMap: { statusText: text, statusVisible: 'true' } },
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
  };
}

/** Handles one card callback; never throws (a refusal is shown on the card instead). */
export async function handleCardAction(deps: CardActionDeps, raw: unknown): Promise<CardCallbackResponse> {
  const parsed = cardCallbackSchema.safeParse(raw);
  if (!parsed.success) return privateNote('无法识别的卡片操作');
  const cb = parsed.data;
  let content: z.output<typeof contentSchema>;
  try {
    content = contentSchema.parse(JSON.parse(cb.content));
  } catch {
    return privateNote('无法识别的卡片操作');
  }
  const action = content.cardPrivateData.actionIds[0];
  try {
    const card = await deps.prisma.cardInstance.findUnique({ where: { outTrackId: cb.outTrackId } });
    if (!card) return privateNote('该卡片已失效，请在雷卫小程序中查看最新状态');
    const person = await deps.prisma.person.findUnique({ where: { dingUserId: cb.userId } });
    if (!person) return privateNote('未找到您的人员信息，请联系管理员绑定钉钉账号');

    if (card.kind === 'hazard-alert' && action === 'ack') {
      const res = await acknowledgeHazard(deps.prisma, card.subjectId, person.id);
      deps.logger.info({ hazardId: res.hazardId, personId: person.id, already: res.alreadyAcknowledged }, '隐患已确认知悉');
      if (!res.alreadyAcknowledged) await deps.refreshCards(card.subjectType, card.subjectId);
      const data = await deps.buildCardData(card.kind, card.subjectId);
      const rendered = deps.render(card.kind, data, 'CARD') as CardPayload;
      return { cardData: { cardParamMap: rendered.cardParamMap }, cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true } };
    }
    return privateNote('暂不支持该操作');
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return privateNote(err.message);
    deps.logger.error({ err, outTrackId: cb.outTrackId, action }, '处理卡片操作失败');
    return privateNote('系统繁忙，请稍后再试');
  }
}
