// DING (docs/warning-broadcast.md [D1], [D2]): POST /v1.0/robot/ding/send -> {openDingId, failedList};
// POST /v1.0/robot/ding/recall. SMS and phone DING need a package the tenant bought; without it
// DingTalk answers 400 ding.serverquota.insufficient (settings dingSmsPurchased / dingPhonePurchased).
import type Router from '@koa/router';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { ApiError } from '../http/errors';
import { gate } from '../http/gate';
import { randomHex } from '../ids';
import { findUser, messageBySeq, recordMessage } from '../state';
import { requireRobot } from './robot.route';

/** Registers the DING routes. */
export function dingRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;
  router.post('/v1.0/robot/ding/send', gate(sim, { api: 'ding.send', family: 'api', auth: 'token' }), (ctx) => {
    const b = bodyObject(ctx);
    const app = requireRobot(ctx, state, b['robotCode']);
    const remindType = b['remindType'];
    if (remindType !== 1 && remindType !== 2 && remindType !== 3) {
      throw new ApiError(400, 'invalidParameter.param.invalid', 'remindType 只能是 1（应用内）、2（短信）、3（电话）');
    }
    const receivers = b['receiverUserIdList'];
    if (!Array.isArray(receivers) || receivers.length === 0)
      throw new ApiError(400, 'miss.staffId', 'receiverUserIdList 不能为空');
    const max = remindType === 1 ? 200 : 20;
    if (receivers.length > max) throw new ApiError(400, 'ding.receivercount.limit', `接收人数超过上限 ${max}`);
    const content = b['content'];
    if (typeof content !== 'string' || content === '')
      throw new ApiError(400, 'invalidParameter.param.invalid', 'content 不能为空');
    if (
      (remindType === 2 && !state.settings.dingSmsPurchased) ||
      (remindType === 3 && !state.settings.dingPhonePurchased)
    )
      throw new ApiError(400, 'ding.serverquota.insufficient', 'ding server quota insufficient');
    const openDingId = `ding${randomHex(12)}`;
    const notExist: string[] = [];
    const seqs: number[] = [];
    for (const raw of receivers) {
      const userId = String(raw);
      if (!findUser(state, app.appKey, userId)) {
        notExist.push(userId);
        continue;
      }
      const m = recordMessage(state, {
        api: 'ding.send',
        appKey: app.appKey,
        to: { userId },
        msgtype: 'ding',
        content: { content, remindType, callVoice: b['callVoice'] },
        openDingId,
      });
      seqs.push(m.seq);
    }
    state.dings.set(openDingId, { appKey: app.appKey, seqs });
    ctx.body = { openDingId, failedList: notExist.length > 0 ? { 'staffId.notExisted': notExist } : {} };
  });

  router.post('/v1.0/robot/ding/recall', gate(sim, { api: 'ding.recall', family: 'api', auth: 'token' }), (ctx) => {
    const b = bodyObject(ctx);
    const app = requireRobot(ctx, state, b['robotCode']);
    const openDingId = b['openDingId'];
    const ding = typeof openDingId === 'string' ? state.dings.get(openDingId) : undefined;
    if (!ding || ding.appKey !== app.appKey)
      throw new ApiError(400, 'invalidParameter.param.invalid', `openDingId 不存在: ${String(openDingId)}`);
    const now = state.clock.now();
    for (const seq of ding.seqs) {
      const m = messageBySeq(state, seq);
      if (m && !m.recalled) {
        m.recalled = true;
        m.recalledAt = now;
      }
    }
    state.events.emit('change', { kind: 'recall' });
    ctx.body = { openDingId };
  });
}
