// 委托 in the mini-app (issue #21, docs/approval-operations.md "委托"): a regulator or leader names a
// deputy of their own bureau for a date range, sees what they gave and received, and cancels one.
//   GET  /api/m/delegations              {given, received}
//   GET  /api/m/delegations/candidates   who may be named
//   POST /api/m/delegations              {toPersonId, startsOn, endsOn, reason?}
//   POST /api/m/delegations/cancel       {delegationId}
// Loops, overlaps, a deputy outside the bureau or without the role are refused by core/delegation
// in Chinese, with nothing written.
import Router from '@koa/router';
import { z } from 'zod';
import {
  cancelDelegation,
  createDelegation,
  delegationCandidates,
  delegationInputSchema,
  listDelegations,
} from '../../core/delegation';
import type { PrismaClient } from '../../core/db';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** The delegation routes. */
export function delegationsRouter(deps: { prisma: PrismaClient; authz: Authz }): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/delegations' });
  const guard = deps.authz.authorize({ action: 'delegation.manage' });

  router.get(
    '/',
    guard,
    apiDoc({ summary: '我的委托', description: '本人委托他人和受他人委托的审批。' }),
    async (ctx) => {
      ctx.body = await listDelegations(deps.prisma, ctx.state.principal.id);
    },
  );

  router.get(
    '/candidates',
    guard,
    apiDoc({ summary: '可委托的同事', description: '本机构内具有相同审批职责、可以受托的人员。' }),
    async (ctx) => {
      ctx.body = { items: await delegationCandidates(deps.prisma, ctx.state.principal.id) };
    },
  );

  const createDoc = apiDoc({
    summary: '委托审批',
    description:
      '外出期间把新的审批和复核任务交给本机构内具有相同审批职责的同事，按日起止（最长 90 天）；日期重叠或形成循环委托的不予登记。',
    body: delegationInputSchema,
    status: 201,
  });
  router.post('/', guard, createDoc, async (ctx) => {
    const body = ctx.request.body ?? {};
    ctx.status = 201;
    ctx.body = {
      delegation: await deps.prisma.$transaction((tx) => createDelegation(tx, ctx.state.principal.id, body)),
    };
  });

  // The delegation named in the body: core/delegation finds only the person's own.
  const cancelDoc = apiDoc({
    summary: '撤销委托',
    description: '撤销本人登记、尚未结束的一项委托：此后新的审批和复核任务不再交给受托人。',
    body: z.object({ delegationId: z.string().min(1, '请指明要撤销的委托') }),
    errors: { 404: '委托不存在，或不是本人登记的', 409: '委托已取消或已结束' },
  });
  router.post('/cancel', guard, cancelDoc, async (ctx) => {
    const raw = (ctx.request.body as Record<string, unknown> | undefined)?.['delegationId'];
    const id = typeof raw === 'string' ? raw : '';
    ctx.body = { delegation: await deps.prisma.$transaction((tx) => cancelDelegation(tx, ctx.state.principal.id, id)) };
  });
  return router;
}
