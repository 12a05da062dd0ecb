// 一企一档 export (issue #10 part 5): GET /api/m/units/:id/archive (JSON) and
// /api/m/units/:id/archive.xlsx, for the unit's own managers and legal representative and for the
// regulators of its jurisdiction (policy action 'unit.archive.export', checked by the one authz
// door). Personal data is masked; every export is audited with who took it and in which form.
import Router from '@koa/router';
import type { Context } from 'koa';
import { appendAudit } from '../../core/audit';
import { archiveWorkbook } from '../../core/archive/archive-workbook';
import { buildUnitArchive, type UnitArchive } from '../../core/archive/unit-archive';
import type { PrismaClient } from '../../core/db';
import { shanghaiDate } from '../../core/domain/working-days';
import { NotFoundError } from '../../core/errors';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** The archive routes. */
export function unitArchiveRouter(deps: { prisma: PrismaClient; authz: Authz }): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/units' });
  const guard = () => deps.authz.authorize({ action: 'unit.archive.export', resource: { type: 'unit', param: 'id' } });

  const load = async (ctx: Context & { state: AuthzState }, format: 'json' | 'xlsx'): Promise<UnitArchive> => {
    const archive = await buildUnitArchive(deps.prisma, ctx.state.resource!.id);
    if (!archive) throw new NotFoundError('UNIT_NOT_FOUND', '单位不存在或已被删除');
    await deps.prisma.$transaction((tx) =>
      appendAudit(tx, {
        actorKind: 'PERSON',
        actorPersonId: ctx.state.person.id,
        action: 'unit.archive.exported',
        subjectType: 'unit',
        subjectId: archive.unit.id,
        data: { format, hazards: archive.hazards.length, people: archive.people.length },
      }),
    );
    ctx.set('Cache-Control', 'no-store');
    return archive;
  };

  router.get(
    '/:id/archive',
    guard(),
    apiDoc({
      summary: '一企一档导出',
      description:
        '单位档案：单位信息、人员（手机号和身份证号仅显示脱敏）、隐患及其处理记录、检查、检测报告、排名、提醒/约谈。每次导出记入审计。',
      errors: { 404: '单位不存在' },
    }),
    async (ctx) => {
      ctx.body = await load(ctx, 'json');
    },
  );

  const xlsxDoc = apiDoc({
    summary: '一企一档导出（Excel）',
    description: '与 JSON 导出内容相同，每部分一个工作表。',
    produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    errors: { 404: '单位不存在' },
  });
  router.get('/:id/archive.xlsx', guard(), xlsxDoc, async (ctx) => {
    const archive = await load(ctx, 'xlsx');
    const name = `一企一档-${archive.unit.name}-${shanghaiDate(new Date(archive.generatedAt))}.xlsx`;
    ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    ctx.set(
      'Content-Disposition',
      `attachment; filename="unit-archive-${archive.unit.uscc}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    ctx.body = await archiveWorkbook(archive);
  });
  return router;
}
