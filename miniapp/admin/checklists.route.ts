// Admin API: checklist templates (issue #7 item 7). The shipped templates are version 1 of each
// category's checklist; an admin edits one by saving a new version (core/inspection/checklists.ts),
// and inspections keep the version they were started with.
//   GET /admin/api/checklists/:category   the current version
//   PUT /admin/api/checklists/:category   { name, items } → the new version (201)
import Router from '@koa/router';
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import { NotFoundError } from '../../core/errors';
import { currentChecklist, saveChecklistVersion } from '../../core/inspection/checklists';
import type { Authz, AuthzState } from '../authz';

const category = z.enum(['FLAMMABLE', 'CROWDED', 'ELECTRONIC', 'CULTURAL', 'MINE_SCENIC', 'TALL', 'OTHER']);

function categoryOf(raw: string | undefined) {
  const parsed = category.safeParse(raw);
  if (!parsed.success) throw new NotFoundError('CHECKLIST_NOT_FOUND', '没有该单位类别的检查表');
  return parsed.data;
}

/** The checklist admin routes. */
export function checklistsRouter(deps: { prisma: PrismaClient; authz: Authz }): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/admin/api/checklists' });
  router.get('/:category', deps.authz.authorize({ action: 'admin.checklists.edit' }), async (ctx) => {
    ctx.body = { checklist: await currentChecklist(deps.prisma, categoryOf(ctx.params.category)) };
  });
  router.put('/:category', deps.authz.authorize({ action: 'admin.checklists.edit' }), async (ctx) => {
    const cat = categoryOf(ctx.params.category);
    const actor = ctx.state.principal.kind === 'person' ? ctx.state.principal.id : null;
    ctx.status = 201;
    ctx.body = { checklist: await saveChecklistVersion(deps.prisma, actor, cat, ctx.request.body ?? {}) };
  });
  return router;
}
