// GET /api/m/hazards — the signed-in person's hazards, newest first (see hazard-scope.ts for who
// sees what). GET /api/m/hazards/:id — one hazard with who has acknowledged it.
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import { NotFoundError, PermissionError, ValidationError } from '../../core/errors';
import { DEFAULT_LEGAL_BASIS } from '../../core/hazard/notice-data';
import { hazardScope, scopeCovers, scopeWhere } from './hazard-scope';
import { hazardSummary } from './hazard-view';
import type { PersonState } from './require-person';

const listQuery = z.object({
  status: z.enum(['PENDING', 'FIXING', 'SUBMITTED', 'CLOSED', 'OVERDUE', 'ESCALATED']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const UNIT = { select: { id: true, name: true, regionCode: true } } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(): NotFoundError {
  return new NotFoundError('HAZARD_NOT_FOUND', '隐患不存在或已被删除');
}

/** The hazard routes of the mini-app. */
export function hazardsRouter(deps: { prisma: PrismaClient; auth: Middleware<PersonState>; now?: () => Date }): Router<PersonState> {
  const router = new Router<PersonState>({ prefix: '/api/m/hazards' });
  const now = deps.now ?? (() => new Date());
  router.use(deps.auth);

  router.get('/', async (ctx) => {
    const parsed = listQuery.safeParse(ctx.query);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, '查询条件');
    const scope = await hazardScope(deps.prisma, ctx.state.person);
    const where = scopeWhere(scope);
    const rows = where
      ? await deps.prisma.hazard.findMany({
          where: { ...where, status: parsed.data.status },
          include: { unit: UNIT },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: parsed.data.limit,
        })
      : [];
    const t = now();
    ctx.body = { items: rows.filter((h) => scopeCovers(scope, h.unit)).map((h) => hazardSummary(h, t)) };
  });

  router.get('/:id', async (ctx) => {
    const id = ctx.params.id ?? '';
    if (!UUID.test(id)) throw notFound();
    const h = await deps.prisma.hazard.findUnique({
      where: { id },
      include: {
        unit: UNIT,
        filedBy: { select: { name: true, org: { select: { name: true } } } },
        acks: { include: { person: { select: { id: true, name: true } } }, orderBy: { at: 'asc' } },
      },
    });
    if (!h) throw notFound();
    const scope = await hazardScope(deps.prisma, ctx.state.person);
    if (!scopeCovers(scope, h.unit)) throw new PermissionError('您无权查看该隐患', 'HAZARD_FORBIDDEN');
    const me = ctx.state.person.id;
    ctx.body = {
      hazard: {
        ...hazardSummary(h, now()),
        legalBasis: h.legalBasis ? [h.legalBasis] : DEFAULT_LEGAL_BASIS,
        noticeNo: h.noticeNo,
        closedAt: h.closedAt?.toISOString() ?? null,
        issuer: h.filedBy?.org?.name ?? null,
        acks: h.acks.map((a) => ({ person: a.person, at: a.at.toISOString() })),
        acknowledgedByMe: h.acks.some((a) => a.person.id === me),
      },
    };
  });
  return router;
}
