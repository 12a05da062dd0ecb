// The approval operations of issue #21 in the mini-app (docs/approval-operations.md), on the same
// router as the other approval routes (approvals.route.ts) and through the same engine commands as
// the cards, with the same permission checks (core/authz on the route, the engine on the step):
//   GET  /api/m/approvals/:id/signer-candidates?stepId=   who the approver may add (加签)
//   POST /api/m/approvals/:id/return                      {stepId, toIndex, comment}       退回
//   POST /api/m/approvals/:id/signers                     {stepId, signerId, position, comment?} 加签
//   POST /api/m/approvals/:id/signers/remove              {signerStepId}                  减签
//   POST /api/m/approvals/:id/nudge                                                        催办
//   POST /api/m/approvals/batch                           {approvalIds, decision, comment?} 批量审批
import type { ApprovalTimerOffsets } from '../../core/approval/timer-offsets';
import type Router from '@koa/router';
import { z } from 'zod';
import {
  addSigner,
  addSignerFields,
  returnFields,
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
  /** Reminder and escalation offsets of steps (config.approval); default DEFAULT_TIMER_OFFSETS. */
  timers?: ApprovalTimerOffsets;
}

/** What the approval router shares with these routes. */
export interface OperationHelpers {
  run(command: (tx: Tx) => Promise<ApprovalEffects>): Promise<ApprovalEffects>;
  applyEffects(effects: ApprovalEffects): Promise<void>;
  stepOf(approvalId: string, body: unknown): Promise<string>;
  detail(id: string, viewerId: string): Promise<unknown>;
}

/** The step of the approval a request acts on (checked against the approval in the URL). */
export const withStep = z.object({ stepId: z.string().min(1, '缺少审批环节') });
/** The refusals of a request on one step. */
export const STEP_ERRORS = { 404: '审批环节不存在', 409: '该环节已办结或已由他人办理' } as const;

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Registers the operations on the approval router (prefix /api/m/approvals). */
export function approvalOperationRoutes(router: Router<AuthzState>, deps: OperationDeps, h: OperationHelpers): void {
  const ctxOf = () => ({ publicBaseUrl: deps.publicBaseUrl, timers: deps.timers });
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

  const signerCandidatesDoc = apiDoc({
    summary: '可加签的人员',
    description: '按审批定义可在该环节加签、且管辖该地区的人员（不含已在本环节的人）。',
    query: withStep,
  });
  router.get('/:id/signer-candidates', decide, signerCandidatesDoc, async (ctx) => {
    const stepId = await h.stepOf(ctx.state.resource!.id, ctx.query);
    ctx.body = { items: await deps.prisma.$transaction((tx) => signerCandidates(tx, stepId, ctx.state.principal.id)) };
  });

  const returnDoc = apiDoc({
    summary: '退回到之前的环节',
    description: '把审批退回到之前的某一环节（toIndex：0 为第一环节）重新办理，须说明理由。',
    body: withStep.extend(returnFields.shape),
    errors: STEP_ERRORS,
  });
  router.post('/:id/return', decide, returnDoc, async (ctx) => {
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

  const addSignerDoc = apiDoc({
    summary: '加签',
    description: '请一位同事在本人之前（BEFORE）或之后（AFTER）一同审批该环节。',
    body: withStep.extend(addSignerFields.shape),
    status: 201,
    errors: STEP_ERRORS,
  });
  router.post('/:id/signers', decide, addSignerDoc, async (ctx) => {
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
  const removeSignerDoc = apiDoc({
    summary: '减签',
    description: '取消一位尚未审批的加签人（signerStepId 为其加签环节）。',
    body: z.object({ signerStepId: z.string().min(1, '请指明要取消的加签人') }),
    errors: STEP_ERRORS,
  });
  router.post('/:id/signers/remove', decide, removeSignerDoc, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Body;
    const signerStepId = await h.stepOf(ctx.state.resource!.id, { stepId: body['signerStepId'] });
    await h.run((tx) => removeSigner(tx, { signerStepId, personId: ctx.state.principal.id }, ctxOf()));
    ctx.body = { approval: await h.detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });

  const nudgeDoc = apiDoc({
    summary: '催办',
    description: '申请人提醒当前环节尚未办理的审批人尽快办理；每个工作日只能催办一次。',
    errors: { 409: '本工作日已催办过，或当前没有待审批的环节' },
  });
  router.post('/:id/nudge', deps.authz.authorize({ action: 'approval.nudge', resource }), nudgeDoc, async (ctx) => {
    await h.run((tx) => nudge(tx, { instanceId: ctx.state.resource!.id, personId: ctx.state.principal.id }, ctxOf()));
    ctx.body = { approval: await h.detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });
}
