// Card button clicks (stream CALLBACK /v1.0/card/instances/callback) -> core commands, through the
// table of actions/index.ts (card kind → action → handler). The answer is the clicking user's
// updated card, returned in the callback's ACK (DingTalk wants it within 2 s and no update call
// inside the callback); every other card about the subject is refreshed by the notify.card-refresh
// job. 同意/驳回 on an approval card are the exception: accepted at once and answered 「已收到」,
// they are decided by the worker (actions/approval-task.ts).
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import { appendAudit } from '../../core/audit';
import { AppError, PermissionError } from '../../core/errors';
import { acceptApprovalClick, CARD_ACTIONS } from './actions';
import { privateNote } from './actions/answers';
import type { ActionHandler, CardActionDeps, CardCallbackResponse, Limited } from './card-action-types';

export type { CardActionDeps, CardCallbackResponse, Limited } from './card-action-types';

/** The callback as DingTalk sends it (data of the CALLBACK frame). */
export const cardCallbackSchema = z.object({
  type: z.string().optional(),
  outTrackId: z.string().min(1),
  userId: z.string().min(1),
  corpId: z.string().optional(),
  content: z.string().min(2),
});

const contentSchema = z.object({
  cardPrivateData: z.object({
    actionIds: z.array(z.string()).min(1),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
});

/**
 * Handles one card callback; never throws (a refusal is shown on the card instead). An approval
 * click that can be accepted is answered at once; everything else runs through `limited`.
 */
export async function handleCardAction(
  deps: CardActionDeps,
  raw: unknown,
  limited: Limited = (fn) => fn(),
): Promise<CardCallbackResponse> {
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
    if (deps.queueClick) {
      const fast = await acceptApprovalClick(
        { ...deps, queueClick: deps.queueClick },
        cb.outTrackId,
        cb.userId,
        action,
        content.cardPrivateData.params,
      );
      if (fast) return fast;
    }
    return await limited(() => runCardAction(deps, cb, action, content.cardPrivateData.params));
  } catch (err) {
    return failed(deps, err, cb.outTrackId, action);
  }
}

/** A click the slow way: the card and the person looked up, then the handler of its kind and action. */
async function runCardAction(
  deps: CardActionDeps,
  cb: z.output<typeof cardCallbackSchema>,
  action: string,
  params: Record<string, unknown>,
): Promise<CardCallbackResponse> {
  try {
    const card = await deps.prisma.cardInstance.findUnique({ where: { outTrackId: cb.outTrackId } });
    if (!card) return privateNote('该卡片已失效，请在雷卫小程序中查看最新状态');
    const person = await deps.prisma.person.findUnique({ where: { dingUserId: cb.userId } });
    if (!person) return privateNote('未找到您的人员信息，请联系管理员绑定钉钉账号');
    const handler = actionHandler(card.kind, action);
    if (!handler) return privateNote('暂不支持该操作');
    try {
      return await handler(deps, { card, person, userId: cb.userId, action, params });
    } catch (err) {
      // Refusals are part of the record (issue #4): who tried what on which card.
      if (err instanceof PermissionError) await auditRefusal(deps.prisma, person.id, card, action, err.code);
      throw err;
    }
  } catch (err) {
    return failed(deps, err, cb.outTrackId, action);
  }
}

/** The handler of a kind's action; own keys only, so a forged action such as 「constructor」 finds none. */
function actionHandler(kind: string, action: string): ActionHandler | undefined {
  const actions = Object.hasOwn(CARD_ACTIONS, kind) ? CARD_ACTIONS[kind] : undefined;
  return actions && Object.hasOwn(actions, action) ? actions[action] : undefined;
}

/** The answer to a click that failed: a refusal's own message, or 「系统繁忙」 (logged). */
function failed(deps: CardActionDeps, err: unknown, outTrackId: string, action: string): CardCallbackResponse {
  if (err instanceof AppError && err.status < 500) return privateNote(err.message);
  deps.logger.error({ err, outTrackId, action }, '处理卡片操作失败');
  return privateNote('系统繁忙，请稍后再试');
}

async function auditRefusal(
  prisma: PrismaClient,
  personId: string,
  card: { outTrackId: string; kind: string; subjectType: string; subjectId: string },
  action: string,
  code: string,
) {
  await prisma.$transaction((tx) =>
    appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: personId,
      action: 'card.action.refused',
      subjectType: card.subjectType,
      subjectId: card.subjectId,
      data: { via: 'card', outTrackId: card.outTrackId, kind: card.kind, action, code },
    }),
  );
}
