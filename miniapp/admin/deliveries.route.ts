// Admin API: delivery state per notice (issue #3 part 7): how many of a notice's deliveries are
// pending, sent, failed (with DingTalk's code and reason) or read, and the rows themselves.
import Router from '@koa/router';
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import { ValidationError } from '../../core/errors';
import type { Authz } from '../authz';

const query = z.object({
  subjectType: z.string().min(1).max(40).optional(),
  subjectId: z.string().min(1).max(64).optional(),
  purpose: z.string().min(1).max(80).optional(),
  status: z.enum(['PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Id of the last row of the previous page. */
  after: z.string().uuid().optional(),
});

/** GET /admin/api/deliveries — summary by status plus one page of rows. */
export function deliveriesRouter(deps: { prisma: PrismaClient; authz: Authz }): Router {
  const router = new Router({ prefix: '/admin/api/deliveries' });
  router.get('/', deps.authz.authorize({ action: 'admin.deliveries.read' }), async (ctx) => {
    const parsed = query.safeParse(ctx.query);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, '查询条件');
    const q = parsed.data;
    if (!q.purpose && !(q.subjectType && q.subjectId)) {
      throw new ValidationError('请指定通知用途（purpose）或通知对象（subjectType 与 subjectId）');
    }
    const where = { subjectType: q.subjectType, subjectId: q.subjectId, purpose: q.purpose };
    const [byStatus, read, rows] = await Promise.all([
      deps.prisma.delivery.groupBy({ by: ['status'], where, _count: true }),
      deps.prisma.delivery.count({ where: { ...where, readAt: { not: null } } }),
      deps.prisma.delivery.findMany({
        where: { ...where, status: q.status, ...(q.after ? { id: { gt: q.after } } : {}) },
        orderBy: { id: 'asc' },
        take: q.limit,
        select: {
          id: true,
          purpose: true,
          channel: true,
          template: true,
          status: true,
          attempts: true,
          recipientAddress: true,
          recipient: { select: { id: true, name: true } },
          errorCode: true,
          errorMessage: true,
          dingCode: true,
          externalId: true,
          outTrackId: true,
          createdAt: true,
          sentAt: true,
          readAt: true,
        },
      }),
    ]);
    ctx.body = {
      summary: { ...Object.fromEntries(byStatus.map((r) => [r.status, r._count])), READ: read },
      items: rows,
      next: rows.length === q.limit ? rows[rows.length - 1].id : null,
    };
  });
  return router;
}
