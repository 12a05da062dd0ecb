// The hazard loop's JSON API for the mini-app (issue #4; the H5 forms of issue #7 post here):
//   POST /api/m/hazards/:id/ack                  已知悉
//   POST /api/m/hazards/:id/rectification        { description, photos:[{url}] }  提交整改
//   POST /api/m/hazards/:id/extension            { reason, newDeadline }          申请延期
//   POST /api/m/hazards/:id/extension/decision   { approve, reason? }             regulator decides the pending request
//   POST /api/m/hazards/:id/verify               { decision: APPROVED|REJECTED, reason? }  复核
//   GET  /api/m/hazards/:id/timeline             every step, from the audit trail
// Permission and state checks live in core/hazard; errors come back as { code, message } (4xx).
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { ConflictError } from '../../core/errors';
import { acknowledgeHazard } from '../../core/hazard/acknowledge';
import { decideExtension, requestExtension } from '../../core/hazard/extension';
import { pendingRectificationOf, submitRectification, verifyRectification } from '../../core/hazard/rectification';
import { hazardTimeline } from '../../core/hazard/timeline';
import type { AfterHazardCommand } from '../../core/hazard/transition';
import type { Authz, AuthzState } from '../authz';

/** What the routes need. */
export interface HazardActionsDeps {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
  reworkWorkingDays: number;
  afterCommand: AfterHazardCommand;
}

const HAZARD = { type: 'hazard', param: 'id' } as const;

/** The hazard action routes. */
export function hazardActionsRouter(deps: HazardActionsDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/hazards/:id' });
  const guard = (action: 'hazard.ack' | 'hazard.rectify' | 'hazard.extend' | 'hazard.verify' | 'hazard.view') => deps.authz.authorize({ action, resource: HAZARD });
  // The guard has loaded the hazard and checked the caller's scope; the core checks again.
  const hazardIdOf = (id: string | undefined): string => id ?? '';
  const opts = { publicBaseUrl: deps.publicBaseUrl, via: 'miniapp' as const };

  router.post('/ack', guard('hazard.ack'), async (ctx) => {
    const res = await acknowledgeHazard(deps.prisma, hazardIdOf(ctx.params.id), ctx.state.person.id, 'miniapp');
    if (!res.alreadyAcknowledged) await deps.afterCommand({ hazardId: res.hazardId, deliveryIds: [] });
    ctx.body = { acknowledged: true, alreadyAcknowledged: res.alreadyAcknowledged, at: res.at.toISOString() };
  });

  router.post('/rectification', guard('hazard.rectify'), async (ctx) => {
    const res = await submitRectification(deps.prisma, ctx.state.person.id, hazardIdOf(ctx.params.id), ctx.request.body ?? {}, opts);
    await deps.afterCommand(res);
    ctx.status = 201;
    ctx.body = { rectificationId: res.rectificationId, status: 'SUBMITTED' };
  });

  router.post('/extension', guard('hazard.extend'), async (ctx) => {
    const res = await requestExtension(deps.prisma, ctx.state.person.id, hazardIdOf(ctx.params.id), ctx.request.body ?? {}, opts);
    await deps.afterCommand(res);
    ctx.status = 201;
    ctx.body = { requestId: res.requestId, status: 'PENDING' };
  });

  router.post('/extension/decision', guard('hazard.verify'), async (ctx) => {
    const hazardId = hazardIdOf(ctx.params.id);
    const pending = await deps.prisma.extensionRequest.findFirst({ where: { hazardId, status: 'PENDING' }, select: { id: true } });
    if (!pending) throw new ConflictError('EXTENSION_NOT_PENDING', '该隐患没有待审批的延期申请');
    const res = await decideExtension(deps.prisma, ctx.state.person.id, pending.id, ctx.request.body ?? {}, opts);
    await deps.afterCommand(res);
    ctx.body = { requestId: pending.id, decided: true };
  });

  router.post('/verify', guard('hazard.verify'), async (ctx) => {
    const hazardId = hazardIdOf(ctx.params.id);
    const rectId = await pendingRectificationOf(deps.prisma, hazardId);
    if (!rectId) throw new ConflictError('RECTIFICATION_NOT_PENDING', '该隐患没有待复核的整改材料');
    const res = await verifyRectification(deps.prisma, ctx.state.person.id, rectId, ctx.request.body ?? {}, { ...opts, reworkWorkingDays: deps.reworkWorkingDays });
    await deps.afterCommand(res);
    ctx.body = { rectificationId: rectId, decision: res.decision };
  });

  router.get('/timeline', guard('hazard.view'), async (ctx) => {
    ctx.body = { items: await hazardTimeline(deps.prisma, hazardIdOf(ctx.params.id)) };
  });
  return router;
}
