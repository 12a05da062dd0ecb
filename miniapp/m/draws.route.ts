// POST /api/m/draws     — a regulator runs a 双随机 draw for their org (core/inspection/perform-draw.ts);
// GET  /api/m/draws/:id — the draw with its seed, inputs and picks, and whether replaying the seed
//                         gives the same picks (anyone in the jurisdiction may check it).
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import { NotFoundError, PermissionError, ValidationError } from '../../core/errors';
import { performDraw } from '../../core/inspection/perform-draw';
import { replayDraw } from '../../core/inspection/random-draw';
import { apiDoc } from '../openapi/api-doc';
import type { DifferentiationRule } from '../../core/inspection/supervision-rule';
import type { InspectionRules } from '../../core/inspection/scan-in';
import type { Authz, AuthzState } from '../authz';

const body = z.object({
  unitCount: z
    .number({ message: '请填写抽取单位数' })
    .int()
    .min(1, '至少抽取 1 家单位')
    .max(200, '一次最多抽取 200 家单位'),
  inspectorsPerUnit: z.number().int().min(1).max(5).optional(),
  /** Also draw from units at their yearly inspection cap (国办发〔2024〕54号); needs overCapReason. */
  includeOverCap: z.boolean().optional(),
  overCapReason: z.string().max(400).optional(),
});

/** The draw routes. */
export function drawsRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  rule: DifferentiationRule;
  inspectorsPerUnit: number;
  inspections: InspectionRules;
  publicBaseUrl: string;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/draws' });

  router.post(
    '/',
    deps.authz.authorize({ action: 'draw.create' }),
    apiDoc({
      summary: '双随机抽取',
      description:
        '从本辖区的双随机名录中随机抽取单位，并从本机构随机抽取检查人员；种子与结果留存，可复算。已达年度检查上限的单位不参与抽取，确需纳入的须勾选 includeOverCap 并填写理由，理由报送分管领导。其他机构近期检查过的单位向双方发出重复检查提醒。',
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
          includeOverCap: parsed.data.includeOverCap,
          overCapReason: parsed.data.overCapReason,
        },
        deps.rule,
        { ...deps.inspections, publicBaseUrl: deps.publicBaseUrl },
      );
      await deps.apply(r);
      const { deliveryIds: _sent, ...drawn } = r;
      const names = new Map(
        (
          await deps.prisma.unit.findMany({
            where: { id: { in: r.picks.map((p) => p.unitId) } },
            select: { id: true, name: true },
          })
        ).map((u) => [u.id, u.name]),
      );
      ctx.status = 201;
      ctx.body = { ...drawn, picks: drawn.picks.map((p) => ({ ...p, unitName: names.get(p.unitId) ?? '' })) };
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
