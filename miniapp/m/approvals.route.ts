// The approval API of the mini-app (issue #5):
//   GET  /api/m/approvals?role=applicant|approver   my applications and my tasks
//   GET  /api/m/approvals/definitions               what a unit may apply for directly (the site's own)
//   POST /api/m/approvals                           {definitionKey, title, fields?, attachments?}
//   GET  /api/m/approvals/:id                       one approval with steps and decisions
//   GET  /api/m/approvals/:id/transfer-candidates   who the current step may be transferred to
//   POST /api/m/approvals/:id/decision              {stepId, decision: APPROVE|REJECT, comment?}
//   POST /api/m/approvals/:id/transfer              {stepId, toPersonId, comment?}
//   POST /api/m/approvals/:id/withdraw              {reason?}
//   POST /api/m/approvals/:id/resubmit              {data?: {fields, attachments}} (edited before resubmitting)
// 退回, 加签/减签, 催办 and batch decisions (issue #21): approval-operations.route.ts, on this router.
// The same core commands as the cards; deliveries are dispatched and cards refreshed after commit.
import type { ApprovalTimerOffsets } from '../../core/approval/timer-offsets';
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import { z } from 'zod';
import { approvalDataSchema } from '../../core/approval/data';
import {
  applicableDefinitions,
  applyForSiteApproval,
  siteApplicationSchema,
  approvalDetail,
  approvalSummary,
  decide,
  decideFields,
  resubmit,
  resubmitFields,
  transfer,
  transferCandidates,
  transferFields,
  withdraw,
  withdrawFields,
  type ApprovalEffects,
} from '../../core/approval';
import type { PrismaClient, Tx } from '../../core/db';
import { NotFoundError, ValidationError } from '../../core/errors';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';
import { approvalOperationRoutes, STEP_ERRORS, withStep } from './approval-operations.route';

/** What the routes need from the process. */
export interface ApprovalRoutesDeps {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
  /** Reminder and escalation offsets of steps (config.approval); default DEFAULT_TIMER_OFFSETS. */
  timers?: ApprovalTimerOffsets;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}

const listQuery = z.object({
  role: z.enum(['applicant', 'approver']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** The approval routes. */
export function approvalsRouter(deps: ApprovalRoutesDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/approvals' });
  const ctxOf = () => ({ publicBaseUrl: deps.publicBaseUrl, timers: deps.timers });
  const resource = { type: 'approval', param: 'id' } as const;

  async function run(command: (tx: Tx) => Promise<ApprovalEffects>): Promise<ApprovalEffects> {
    const effects = await deps.prisma.$transaction(command);
    await deps.apply(effects);
    return effects;
  }
  /** The step must belong to the approval in the URL (the resource the guard checked). */
  async function stepOf(approvalId: string, body: unknown): Promise<string> {
    const parsed = withStep.safeParse(body);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, '审批');
    const step = await deps.prisma.approvalStep.findUnique({
      where: { id: parsed.data.stepId },
      select: { instanceId: true },
    });
    if (!step || step.instanceId !== approvalId) throw new NotFoundError('APPROVAL_STEP_NOT_FOUND', '审批环节不存在');
    return parsed.data.stepId;
  }
  async function detail(id: string, viewerId: string) {
    const d = await approvalDetail(deps.prisma, id, viewerId);
    if (!d) throw new NotFoundError('APPROVAL_NOT_FOUND', '审批不存在或已被删除');
    return d;
  }

  const listDoc = apiDoc({
    summary: '我的审批',
    description: '本人发起的申请（role=applicant）或待本人办理的审批（role=approver），最新的在前。',
    query: listQuery,
  });
  router.get('/', deps.authz.authorize({ action: 'approval.list' }), listDoc, async (ctx) => {
    const q = listQuery.safeParse(ctx.query);
    if (!q.success) throw ValidationError.fromZod(q.error, '查询条件');
    ctx.body = {
      items: await approvalSummary(deps.prisma, ctx.state.principal.id, { role: q.data.role, limit: q.data.limit }),
    };
  });

  const definitionsDoc = apiDoc({
    summary: '可直接发起的审批事项',
    description: '站点配置、可由本单位直接发起的审批定义。',
  });
  router.get('/definitions', deps.authz.authorize({ action: 'approval.apply' }), definitionsDoc, async (ctx) => {
    ctx.body = { items: await applicableDefinitions(deps.prisma) };
  });

  const applyDoc = apiDoc({
    summary: '发起审批申请（本地配置的审批事项）',
    description:
      '本单位人员按站点配置的审批定义发起申请；防雷装置设计审核、竣工验收和隐患整改延期须从各自业务发起。第一环节的审批人随即收到审批卡片。',
    body: siteApplicationSchema,
    status: 201,
    errors: { 404: '未知的审批类型' },
  });
  router.post('/', deps.authz.authorize({ action: 'approval.apply' }), applyDoc, async (ctx) => {
    const effects = await run((tx) =>
      applyForSiteApproval(tx, ctx.state.principal.id, ctx.request.body ?? {}, ctxOf()),
    );
    ctx.status = 201;
    ctx.body = { approval: await detail(effects.instanceId, ctx.state.principal.id) };
  });

  approvalOperationRoutes(router, deps, { run, applyEffects: deps.apply, stepOf, detail });

  const viewDoc = apiDoc({
    summary: '审批详情',
    description: '申请内容、各环节及其审批人、审批意见和本人可做的操作。',
  });
  router.get('/:id', deps.authz.authorize({ action: 'approval.view', resource }), viewDoc, async (ctx) => {
    ctx.body = { approval: await detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });

  const candidatesDoc = apiDoc({
    summary: '可转交的人员',
    description: '当前环节可转交给的、具有相同审批职责的人员。',
    query: withStep,
  });
  const decideGuard = deps.authz.authorize({ action: 'approval.decide', resource });
  router.get('/:id/transfer-candidates', decideGuard, candidatesDoc, async (ctx) => {
    const stepId = await stepOf(ctx.state.resource!.id, ctx.query);
    ctx.body = { items: await deps.prisma.$transaction((tx) => transferCandidates(tx, stepId)) };
  });

  const decisionDoc = apiDoc({
    summary: '审批（同意或驳回）',
    description: '对本人在该环节的任务作出决定；驳回须说明理由。与审批卡片上的按钮是同一操作。',
    body: withStep.extend(decideFields.shape),
    errors: STEP_ERRORS,
  });
  router.post('/:id/decision', decideGuard, decisionDoc, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const stepId = await stepOf(ctx.state.resource!.id, body);
    await run((tx) =>
      decide(
        tx,
        {
          stepId,
          personId: ctx.state.principal.id,
          decision: body['decision'] as 'APPROVE',
          comment: body['comment'] as string | undefined,
        },
        ctxOf(),
      ),
    );
    ctx.body = { approval: await detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });

  const transferDoc = apiDoc({
    summary: '转交审批',
    description: '把本人在该环节的任务交给另一位具有相同审批职责的人员（转交前可查可转交的人员）。',
    body: withStep.extend(transferFields.shape),
    errors: STEP_ERRORS,
  });
  router.post('/:id/transfer', decideGuard, transferDoc, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const stepId = await stepOf(ctx.state.resource!.id, body);
    await run((tx) =>
      transfer(
        tx,
        {
          stepId,
          personId: ctx.state.principal.id,
          toPersonId: body['toPersonId'] as string,
          comment: body['comment'] as string | undefined,
        },
        ctxOf(),
      ),
    );
    ctx.body = { approval: await detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });

  const withdrawDoc = apiDoc({
    summary: '撤回申请',
    description: '申请人撤回尚在审批中的申请；审批人的待办随之结束。',
    body: withdrawFields,
    errors: { 409: '申请已办结，无法撤回' },
  });
  const applicantGuard = deps.authz.authorize({ action: 'approval.withdraw', resource });
  router.post('/:id/withdraw', applicantGuard, withdrawDoc, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    await run((tx) =>
      withdraw(
        tx,
        {
          instanceId: ctx.state.resource!.id,
          personId: ctx.state.principal.id,
          reason: body['reason'] as string | undefined,
        },
        ctxOf(),
      ),
    );
    ctx.body = { approval: await detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });

  // The applicant may send the application as it was, or edited: { data: { fields, attachments } }.
  const resubmitDoc = apiDoc({
    summary: '重新提交申请',
    description: '被驳回或撤回后，申请人原样或修改后再次提交，审批从第一环节重新开始。',
    body: resubmitFields,
    errors: { 409: '申请仍在审批中，无需重新提交' },
  });
  router.post('/:id/resubmit', applicantGuard, resubmitDoc, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    await run((tx) =>
      resubmit(
        tx,
        {
          instanceId: ctx.state.resource!.id,
          personId: ctx.state.principal.id,
          data: body['data'] as z.input<typeof approvalDataSchema> | undefined,
        },
        ctxOf(),
      ),
    );
    ctx.body = { approval: await detail(ctx.state.resource!.id, ctx.state.principal.id) };
  });
  return router;
}
