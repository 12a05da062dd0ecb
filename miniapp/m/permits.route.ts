// POST /api/m/permits — a unit manager applies for 防雷装置设计审核 or 竣工验收 for their own unit
// (body: core/permit/apply permitApplicationSchema); the approval starts at once and its first
// approvers get their cards. GET /api/m/permits — the unit's applications.
import type { ApprovalTimerOffsets } from '../../core/approval/timer-offsets';
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { NotFoundError } from '../../core/errors';
import { applyForPermit, permitApplicationSchema } from '../../core/permit/apply';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** The permit routes. */
export function permitsRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
  /** Reminder and escalation offsets of steps (config.approval); default DEFAULT_TIMER_OFFSETS. */
  timers?: ApprovalTimerOffsets;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/permits' });

  const applyDoc = apiDoc({
    summary: '申请设计审核或竣工验收',
    description: '重点单位负责人为本单位申请防雷装置设计审核或竣工验收；审批随即开始，第一环节的审批人收到审批卡片。',
    body: permitApplicationSchema,
    status: 201,
    errors: { 404: '您尚未关联重点单位' },
  });
  router.post('/', deps.authz.authorize({ action: 'permit.apply' }), applyDoc, async (ctx) => {
    const res = await deps.prisma.$transaction((tx) =>
      applyForPermit(tx, ctx.state.principal.id, ctx.request.body ?? {}, {
        publicBaseUrl: deps.publicBaseUrl,
        timers: deps.timers,
      }),
    );
    await deps.apply(res);
    ctx.status = 201;
    ctx.body = { permitId: res.permitId, approvalId: res.instanceId };
  });

  const listDoc = apiDoc({
    summary: '本单位的许可申请',
    description: '本单位最近 50 项设计审核和竣工验收申请及其状态。',
  });
  router.get('/', deps.authz.authorize({ action: 'permit.apply' }), listDoc, async (ctx) => {
    const unitId = ctx.state.principal.unitId;
    if (!unitId) throw new NotFoundError('UNIT_NOT_FOUND', '您尚未关联重点单位');
    const rows = await deps.prisma.permit.findMany({ where: { unitId }, orderBy: { submittedAt: 'desc' }, take: 50 });
    ctx.body = {
      items: rows.map((p) => ({
        id: p.id,
        kind: p.kind,
        kindLabel: label('PermitKind', p.kind),
        project: p.project,
        status: p.status,
        statusLabel: label('PermitStatus', p.status),
        submittedAt: p.submittedAt.toISOString(),
        legalDeadline: p.legalDeadline?.toISOString() ?? null,
        approvalId: p.approvalInstanceId,
      })),
    };
  });
  return router;
}
