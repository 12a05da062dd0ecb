// POST /api/m/permits — a unit manager applies for 防雷装置设计审核 or 竣工验收 for their own unit
// (body: core/permit/apply permitApplicationSchema); the approval starts at once and its first
// approvers get their cards. GET /api/m/permits — the unit's applications.
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { NotFoundError } from '../../core/errors';
import { applyForPermit } from '../../core/permit/apply';
import type { Authz, AuthzState } from '../authz';

/** The permit routes. */
export function permitsRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/permits' });

  router.post('/', deps.authz.authorize({ action: 'permit.apply' }), async (ctx) => {
    const res = await deps.prisma.$transaction((tx) =>
      applyForPermit(tx, ctx.state.principal.id, ctx.request.body ?? {}, { publicBaseUrl: deps.publicBaseUrl }),
    );
    await deps.apply(res);
    ctx.status = 201;
    ctx.body = { permitId: res.permitId, approvalId: res.instanceId };
  });

  router.get('/', deps.authz.authorize({ action: 'permit.apply' }), async (ctx) => {
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
