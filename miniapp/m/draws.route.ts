// POST /api/m/draws     — a regulator runs a 双随机 draw for their org (core/inspection/perform-draw.ts);
// GET  /api/m/draws/:id — the draw with its seed, inputs and picks, and whether replaying the seed
//                         gives the same picks (anyone in the jurisdiction may check it).
import Router from '@koa/router';
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import { NotFoundError, PermissionError, ValidationError } from '../../core/errors';
import { performDraw } from '../../core/inspection/perform-draw';
import { replayDraw } from '../../core/inspection/random-draw';
import '../../core/inspection/resources';
import { apiDoc } from '../openapi/api-doc';
import type { DifferentiationRule } from '../../core/inspection/supervision-rule';
import type { Authz, AuthzState } from '../authz';

const body = z.object({
  unitCount: z.number().int().min(1, '至少抽取 1 家单位').max(200, '一次最多抽取 200 家单位'),
  inspectorsPerUnit: z.number().int().min(1).max(5).optional(),
});

/** The draw routes. */
export function drawsRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  rule: DifferentiationRule;
  inspectorsPerUnit: number;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/draws' });

  router.post(
    '/',
    deps.authz.authorize({ action: 'draw.create' }),
    apiDoc({
      summary: '双随机抽取',
      description: '从本辖区的双随机名录中随机抽取单位，并从本机构随机抽取检查人员；种子与结果留存，可复算。',
      body,
      status: 201,
    }),
    async (ctx) => {
      const me = ctx.state.principal;
      const parsed = body.safeParse(ctx.request.body ?? {});
      if (!parsed.success) throw ValidationError.fromZod(parsed.error, '抽查条件');
      if (!me.orgId) throw new PermissionError('您的账号未关联气象主管机构，不能组织抽查', 'ORG_REQUIRED');
      const r = await performDraw(
        deps.prisma,
        {
          personId: me.id,
          orgId: me.orgId,
          unitCount: parsed.data.unitCount,
          inspectorsPerUnit: parsed.data.inspectorsPerUnit ?? deps.inspectorsPerUnit,
        },
        deps.rule,
      );
      ctx.status = 201;
      ctx.body = r;
    },
  );

  router.get(
    '/:id',
    deps.authz.authorize({ action: 'draw.view', resource: { type: 'inspection-draw', param: 'id' } }),
    apiDoc({ summary: '抽取结果及复算', description: '按留存的种子重新计算，replayMatches 表示与留存结果一致。' }),
    async (ctx) => {
      const draw = await deps.prisma.inspectionDraw.findUnique({ where: { id: ctx.state.resource!.id } });
      if (!draw) throw new NotFoundError('DRAW_NOT_FOUND', '抽查记录不存在');
      const { params, picks } = draw;
      ctx.body = {
        id: draw.id,
        seed: draw.seed,
        regionCode: draw.regionCode,
        createdAt: draw.createdAt.toISOString(),
        params,
        picks,
        replayMatches: replayDraw(draw),
      };
    },
  );
  return router;
}
