// DING (§6): POST /v1.0/robot/ding/send -> {openDingId, failedList}.
import type Router from '@koa/router';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { ApiError } from '../http/errors';
import { gate } from '../http/gate';
import { randomHex } from '../ids';
import { findUser, recordMessage } from '../state';
import { requireRobot } from './robot.route';

/** Registers the DING route. */
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
    const openDingId = `ding${randomHex(12)}`;
    const notExist: string[] = [];
    for (const raw of receivers) {
      const userId = String(raw);
      if (!findUser(state, app.appKey, userId)) {
        notExist.push(userId);
        continue;
      }
      recordMessage(state, {
        api: 'ding.send',
        appKey: app.appKey,
        to: { userId },
        msgtype: 'ding',
        content: { content, remindType, callVoice: b['callVoice'] },
        openDingId,
      });
    }
    ctx.body = { openDingId, failedList: notExist.length > 0 ? { 'staffId.notExisted': notExist } : {} };
  });
}
