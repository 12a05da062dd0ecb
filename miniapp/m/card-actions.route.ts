// The mini-app page behind each action button of a card that needs no template (#19 item 1): a
// 普通版 card cannot call back over Stream, so 「已知悉」, 「通过」, 「同意」... open
//   GET  /api/m/cards/:outTrackId/:action   the card as it stands for the reader, the action and
//                                            what it needs typed (a reason, a comment, answers)
//   POST /api/m/cards/:outTrackId/:action   { inputs } does it in one step, as the click would
// signed in by 免登. The action runs through the same handler as a card click
// (bot/inbound/card-actions.ts), so permission, state and refusals are exactly a click's; the card
// is then updated through DingTalk's API (bot/inbound/standard-clicks.ts).
import Router from '@koa/router';
import { z } from 'zod';
import { handleCardAction, type CardActionDeps } from '../../bot/inbound/card-actions';
import { currentCard } from '../../bot/cards/current-card';
import { answerText, updateAfterStandardClick } from '../../bot/inbound/standard-clicks';
import type { PrismaClient } from '../../core/db';
import { NotFoundError, PermissionError } from '../../core/errors';
import { needsTypedInput, shippedLayouts, type CardLayout } from '../../templates';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** What the routes need. */
export interface CardActionsDeps {
  prisma: PrismaClient;
  authz: Authz;
  cards: CardActionDeps;
}

/** One thing the action needs typed or picked. */
interface ActionInput {
  name: string;
  label: string;
  options?: Array<{ value: string; text: string }>;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** The card's title, rows, status and the action's button for one reader. */
function cardView(layout: CardLayout, params: Record<string, string>, action: string) {
  const v = (n: string) => params[n] ?? '';
  const fill = (s: string) => s.replace(PLACEHOLDER, (_m, n: string) => v(n));
  const shows = (cond: string | undefined) => cond === undefined || v(cond) === 'true';
  let title = '';
  let button: { text: string; available: boolean } | undefined;
  const fields: Array<{ label: string; value: string }> = [];
  const inputs: ActionInput[] = [];
  for (const b of layout.blocks) {
    switch (b.type) {
      case 'header':
        title = fill(b.text);
        break;
      case 'fields':
        for (const i of b.items) if (fill(i.value).trim()) fields.push({ label: fill(i.label), value: fill(i.value) });
        break;
      case 'input':
        if (shows(b.visibleIf)) inputs.push({ name: b.name, label: fill(b.placeholder) });
        break;
      case 'choices':
        if (shows(b.visibleIf)) inputs.push({ name: b.name, label: fill(b.label), options: b.options });
        break;
      case 'actions':
        for (const btn of b.buttons)
          if (btn.action === 'callback' && btn.actionId === action)
            button = { text: btn.text, available: shows(b.visibleIf) && shows(btn.visibleIf) };
        break;
      default:
        break;
    }
  }
  const status = v('statusVisible') === 'true' ? v('statusText') : '';
  return { title, fields, status, button, inputs: needsTypedInput(layout.kind, action) ? inputs : [] };
}

const postBody = z.object({ inputs: z.record(z.string(), z.string().max(500)).default({}) });

/** The routes. */
export function cardActionsRouter(deps: CardActionsDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/cards/:outTrackId/:action' });
  const guard = deps.authz.authorize({ action: 'card.act' });

  /** The card (its recipient only) and the reader's DingTalk userId. */
  async function load(outTrackId: string, personId: string) {
    const card = await deps.prisma.cardInstance.findUnique({ where: { outTrackId } });
    if (!card) throw new NotFoundError('CARD_NOT_FOUND', '该卡片已失效，请在雷卫小程序中查看最新状态');
    if (card.recipientPersonId && card.recipientPersonId !== personId)
      throw new PermissionError('这张卡片不是发给您的，操作无效');
    const person = await deps.prisma.person.findUniqueOrThrow({ where: { id: personId } });
    if (!person.dingUserId) throw new PermissionError('未找到您的钉钉账号，请联系管理员绑定');
    return { card, userId: person.dingUserId };
  }

  async function view(outTrackId: string, action: string, personId: string) {
    const { card, userId } = await load(outTrackId, personId);
    const now = await currentCard(deps.cards, card.kind, card.subjectId, userId);
    const layout = shippedLayouts().layouts.get(now.layout ?? '');
    if (!layout) throw new NotFoundError('CARD_NOT_FOUND', '该卡片已失效，请在雷卫小程序中查看最新状态');
    const params = { ...now.cardParamMap, ...(now.own ?? {}) };
    const v = cardView(layout, params, action);
    if (!v.button) throw new NotFoundError('CARD_ACTION_NOT_FOUND', '卡片上没有这个操作');
    return { kind: card.kind, ...v, button: v.button };
  }

  router.get(
    '/',
    guard,
    apiDoc({ summary: '卡片操作页', description: '卡片当前的内容与状态、该操作是否仍可办理、需要填写的内容。' }),
    async (ctx) => {
      ctx.body = await view(ctx.params.outTrackId ?? '', ctx.params.action ?? '', ctx.state.person?.id ?? '');
    },
  );

  router.post(
    '/',
    guard,
    apiDoc({
      summary: '办理卡片操作',
      description: '与在卡片上点按钮相同：同样的权限与状态检查，结果显示在卡片上并返回给页面。',
      body: postBody,
    }),
    async (ctx) => {
      const outTrackId = ctx.params.outTrackId ?? '';
      const action = ctx.params.action ?? '';
      const { inputs } = postBody.parse(ctx.request.body ?? {});
      const { userId } = await load(outTrackId, ctx.state.person?.id ?? '');
      const content = JSON.stringify({ cardPrivateData: { actionIds: [action], params: inputs } });
      const res = await handleCardAction(deps.cards, { type: 'actionCallback', outTrackId, userId, content });
      await updateAfterStandardClick(deps.cards, outTrackId, res);
      ctx.body = {
        message: answerText(res) ?? '已办理',
        card: await view(outTrackId, action, ctx.state.person?.id ?? ''),
      };
    },
  );
  return router;
}
