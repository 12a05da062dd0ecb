// 委托 in the mini-app (issue #21, docs/approval-operations.md "委托"): a regulator or leader names a
// deputy of their own bureau for a date range, sees what they gave and received, and cancels one.
//   GET  /api/m/delegations              {given, received}
//   GET  /api/m/delegations/candidates   who may be named
//   POST /api/m/delegations              {toPersonId, startsOn, endsOn, reason?}
//   POST /api/m/delegations/cancel       {delegationId}
// Loops, overlaps, a deputy outside the bureau or without the role are refused by core/delegation
// in Chinese, with nothing written.
import Router from '@koa/router';
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

  router.get('/candidates', guard, async (ctx) => {
    ctx.body = { items: await delegationCandidates(deps.prisma, ctx.state.principal.id) };
  });

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
  router.post('/cancel', guard, async (ctx) => {
    const raw = (ctx.request.body as Record<string, unknown> | undefined)?.['delegationId'];
    const id = typeof raw === 'string' ? raw : '';
    ctx.body = { delegation: await deps.prisma.$transaction((tx) => cancelDelegation(tx, ctx.state.principal.id, id)) };
  });
  return router;
}
