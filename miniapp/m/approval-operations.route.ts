// The approval operations of issue #21 in the mini-app (docs/approval-operations.md), on the same
// router as the other approval routes (approvals.route.ts) and through the same engine commands as
// the cards, with the same permission checks (core/authz on the route, the engine on the step):
//   GET  /api/m/approvals/:id/signer-candidates?stepId=   who the approver may add (加签)
//   POST /api/m/approvals/:id/return                      {stepId, toIndex, comment}       退回
//   POST /api/m/approvals/:id/signers                     {stepId, signerId, position, comment?} 加签
//   POST /api/m/approvals/:id/signers/remove              {signerStepId}                  减签
//   POST /api/m/approvals/:id/nudge                                                        催办
//   POST /api/m/approvals/batch                           {approvalIds, decision, comment?} 批量审批
import type Router from '@koa/router';
import {
  addSigner,
  batchDecisionSchema,
  decideBatch,
  nudge,
  removeSigner,
  returnToStep,
  signerCandidates,
  type ApprovalEffects,
} from '../../core/approval';
import { resourceType, scopeCovers } from '../../core/authz';
import type { PrismaClient, Tx } from '../../core/db';
import { PermissionError } from '../../core/errors';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** What the routes need from the process. */
export interface OperationDeps {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
}

/** What the approval router shares with these routes. */
export interface OperationHelpers {
  run(command: (tx: Tx) => Promise<ApprovalEffects>): Promise<ApprovalEffects>;
  applyEffects(effects: ApprovalEffects): Promise<void>;
  stepOf(approvalId: string, body: unknown): Promise<string>;
  detail(id: string, viewerId: string): Promise<unknown>;
}

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Registers the operations on the approval router (prefix /api/m/approvals). */
export function approvalOperationRoutes(router: Router<AuthzState>, deps: OperationDeps, h: OperationHelpers): void {
  const ctxOf = () => ({ publicBaseUrl: deps.publicBaseUrl });
  const resource = { type: 'approval', param: 'id' } as const;
  const decide = deps.authz.authorize({ action: 'approval.decide', resource });

  // Before '/:id/...': 'batch' is not an approval id.
  const batchDoc = apiDoc({
    summary: '批量审批',
    description:
      '选中同一类的多项待审批事项一并同意或驳回（驳回须填意见）；逐项按各自的环节、权限和审计单独办理，某一项被拒不影响其他项。',
    body: batchDecisionSchema,
  });
  router.post('/batch', deps.authz.authorize({ action: 'approval.decide' }), batchDoc, async (ctx) => {
    const { scope, principal } = ctx.state;
    const check = async (approvalId: string) => {
      const r = await resourceType('approval')!.load(deps.prisma, approvalId);
      if (!r || !scopeCovers(scope, r, principal.id)) throw new PermissionError('您无权办理该审批');
    };
    const results = await decideBatch(deps.prisma, principal.id, ctx.request.body ?? {}, ctxOf(), check);
    for (const r of results) if (r.ok) await h.applyEffects(r.effects);
    ctx.body = {
      items: results.map((r) =>
        r.ok
          ? { approvalId: r.approvalId, ok: true }
          : { approvalId: r.approvalId, ok: false, code: r.code, message: r.message },
      ),
    };
  });

  router.get('/:id/signer-candidates', decide, async (ctx) => {
    const stepId = await h.stepOf(ctx.state.resource!.id, ctx.query);
    ctx.body = { items: await deps.prisma.$transaction((tx) => signerCandidates(tx, stepId, ctx.state.principal.id)) };
  });

  router.post('/:id/return', decide, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Body;
    const stepId = await h.stepOf(ctx.state.resource!.id, body);
    await h.run((tx) =>
      returnToStep(
        tx,
        {
          stepId,
          personId: ctx.state.principal.id,
          toIndex: body['toIndex'] as number,
          comment: str(body['comment']),
        },
        ctxOf(),
      ),
    );
    ctx.body = { approval: await h.detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });

  router.post('/:id/signers', decide, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Body;
    const stepId = await h.stepOf(ctx.state.resource!.id, body);
    await h.run((tx) =>
      addSigner(
        tx,
        {
          stepId,
          personId: ctx.state.principal.id,
          signerId: str(body['signerId']) ?? '',
          position: body['position'] as 'BEFORE',
          comment: str(body['comment']),
        },
        ctxOf(),
      ),
    );
    ctx.status = 201;
    ctx.body = { approval: await h.detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });

  // The signer's row in the body: the guard loads the approval, stepOf checks the row is one of its.
  router.post('/:id/signers/remove', decide, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Body;
    const signerStepId = await h.stepOf(ctx.state.resource!.id, { stepId: body['signerStepId'] });
    await h.run((tx) => removeSigner(tx, { signerStepId, personId: ctx.state.principal.id }, ctxOf()));
    ctx.body = { approval: await h.detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });

  router.post('/:id/nudge', deps.authz.authorize({ action: 'approval.nudge', resource }), async (ctx) => {
    await h.run((tx) => nudge(tx, { instanceId: ctx.state.resource!.id, personId: ctx.state.principal.id }, ctxOf()));
    ctx.body = { approval: await h.detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });
}
