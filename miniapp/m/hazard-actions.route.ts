// The hazard loop's JSON API for the mini-app (issue #4; the H5 forms of issue #7 post here):
//   POST /api/m/hazards/:id/ack                  已知悉
//   POST /api/m/hazards/:id/rectification        { description, photos:[{url}] }  提交整改
//   POST /api/m/hazards/:id/extension            { reason, newDeadline }          申请延期
//   POST /api/m/hazards/:id/extension/decision   { approve, reason? }             regulator decides the pending request
//   POST /api/m/hazards/:id/verify               { decision: APPROVED|REJECTED, reason? }  复核
//   GET  /api/m/hazards/:id/timeline             every step, from the audit trail
// Permission and state checks live in core/hazard; errors come back as { code, message } (4xx).
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { ConflictError } from '../../core/errors';
import { acknowledgeHazard } from '../../core/hazard/acknowledge';
import {
  decideExtension,
  decideExtensionInput,
  requestExtension,
  requestExtensionInput,
} from '../../core/hazard/extension';
import {
  pendingRectificationOf,
  submitRectification,
  submitRectificationInput,
  verifyRectification,
  verifyRectificationInput,
} from '../../core/hazard/rectification';
import { hazardTimeline } from '../../core/hazard/timeline';
import type { ApprovalTimerOffsets } from '../../core/approval/timer-offsets';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** What the routes need. */
export interface HazardActionsDeps {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
  reworkWorkingDays: number;
  /** Offsets of the timers of approval steps a command starts (config.approval); default DEFAULT_TIMER_OFFSETS. */
  approvalTimers?: ApprovalTimerOffsets;
  /** Applies a command's effects after its commit (deliveries, card refreshes, follow-up jobs). */
  apply: ApplyEffects;
}

const HAZARD = { type: 'hazard', param: 'id' } as const;

/** The hazard action routes. */
export function hazardActionsRouter(deps: HazardActionsDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/hazards/:id' });
  const guard = (action: 'hazard.ack' | 'hazard.rectify' | 'hazard.extend' | 'hazard.verify' | 'hazard.view') =>
    deps.authz.authorize({ action, resource: HAZARD });
  // The guard has loaded the hazard and checked the caller's scope; the core checks again.
  const hazardIdOf = (id: string | undefined): string => id ?? '';
  const opts = { publicBaseUrl: deps.publicBaseUrl, via: 'miniapp' as const, approvalTimers: deps.approvalTimers };

  router.post(
    '/ack',
    guard('hazard.ack'),
    apiDoc({ summary: '确认知悉', description: '单位负责人或法定代表人确认已知悉隐患；重复确认不会重复记录。' }),
    async (ctx) => {
      const res = await acknowledgeHazard(deps.prisma, hazardIdOf(ctx.params.id), ctx.state.person.id, 'miniapp');
      await deps.apply(res);
      ctx.body = { acknowledged: true, alreadyAcknowledged: res.alreadyAcknowledged, at: res.at.toISOString() };
    },
  );

  const rectify = apiDoc({
    summary: '提交整改',
    description:
      '单位负责人提交整改措施和照片（照片先经 POST /api/m/uploads 上传）；提交后停止到期提醒，执法人员收到复核卡片。',
    body: submitRectificationInput,
    status: 201,
    errors: { 409: '已提交待复核，或隐患已销号' },
  });
  router.post('/rectification', guard('hazard.rectify'), rectify, async (ctx) => {
    const res = await submitRectification(
      deps.prisma,
      ctx.state.person.id,
      hazardIdOf(ctx.params.id),
      ctx.request.body ?? {},
      opts,
    );
    await deps.apply(res);
    ctx.status = 201;
    ctx.body = { rectificationId: res.rectificationId, status: 'SUBMITTED' };
  });

  const extend = apiDoc({
    summary: '申请延期',
    description:
      '单位负责人申请延长整改期限（理由和新的日期）；执法人员收到审批卡片。新期限须晚于现期限，一次最多延期 90 天。',
    body: requestExtensionInput,
    status: 201,
    errors: { 409: '已有待审批的延期申请、期限已过或隐患不在整改中' },
  });
  router.post('/extension', guard('hazard.extend'), extend, async (ctx) => {
    const res = await requestExtension(
      deps.prisma,
      ctx.state.person.id,
      hazardIdOf(ctx.params.id),
      ctx.request.body ?? {},
      opts,
    );
    await deps.apply(res);
    ctx.status = 201;
    ctx.body = { requestId: res.requestId, status: 'PENDING' };
  });

  const decideExt = apiDoc({
    summary: '审批延期申请',
    description: '辖区执法人员同意或不同意待审批的延期申请（不同意须填理由）。',
    body: decideExtensionInput,
    errors: { 409: '没有待审批的延期申请或已处理' },
  });
  router.post('/extension/decision', guard('hazard.verify'), decideExt, async (ctx) => {
    const hazardId = hazardIdOf(ctx.params.id);
    const pending = await deps.prisma.extensionRequest.findFirst({
      where: { hazardId, status: 'PENDING' },
      select: { id: true },
    });
    if (!pending) throw new ConflictError('EXTENSION_NOT_PENDING', '该隐患没有待审批的延期申请');
    const res = await decideExtension(deps.prisma, ctx.state.person.id, pending.id, ctx.request.body ?? {}, opts);
    await deps.apply(res);
    ctx.body = { requestId: pending.id, decided: true };
  });

  const verify = apiDoc({
    summary: '复核整改',
    description: '辖区执法人员复核最近一次整改：通过则销号；驳回须填理由，隐患退回整改中并给出新的期限和提醒。',
    body: verifyRectificationInput,
    errors: { 409: '没有待复核的整改材料，或已复核' },
  });
  router.post('/verify', guard('hazard.verify'), verify, async (ctx) => {
    const hazardId = hazardIdOf(ctx.params.id);
    const rectId = await pendingRectificationOf(deps.prisma, hazardId);
    if (!rectId) throw new ConflictError('RECTIFICATION_NOT_PENDING', '该隐患没有待复核的整改材料');
    const res = await verifyRectification(deps.prisma, ctx.state.person.id, rectId, ctx.request.body ?? {}, {
      ...opts,
      reworkWorkingDays: deps.reworkWorkingDays,
    });
    await deps.apply(res);
    ctx.body = { rectificationId: rectId, decision: res.decision };
  });

  router.get(
    '/timeline',
    guard('hazard.view'),
    apiDoc({
      summary: '隐患处理记录',
      description: '该隐患的每一步（谁、何时、做了什么、通过哪个渠道、前后状态），来自审计记录，按时间先后。',
    }),
    async (ctx) => {
      ctx.body = { items: await hazardTimeline(deps.prisma, hazardIdOf(ctx.params.id)) };
    },
  );
  return router;
}
