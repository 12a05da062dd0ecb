// A warning in the mini-app (issue #20):
//   GET  /api/m/warnings/:id                          the 「收到」 page's data: the warning, my unit's
//                                                     precautions and whether it has answered
//   POST /api/m/warnings/:id/ack  {from}              「收到」 (from: the call the page was opened from)
//   GET  /api/m/warnings/:id/status                   live counts (regulators, leaders)
//   GET  /api/m/warnings/:id/response-record          the 叫应记录 (JSON; ?silent=true&page=&pageSize=)
//   GET  /api/m/warnings/:id/response-record.xlsx     the same as an Excel workbook
// A warning covers several regions, so the routes check it themselves: the unit side for units it
// covers, regulators and leaders for warnings touching their jurisdiction (units outside it are
// left out of what they see).
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { appendAudit } from '../../core/audit';
import type { Scope } from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { regionMatches } from '../../core/domain/region';
import { shanghaiDate } from '../../core/domain/working-days';
import { NotFoundError, PermissionError } from '../../core/errors';
import { acknowledgeWarning } from '../../core/warning/acknowledge-warning';
import { viaFromPage } from '../../core/warning/links';
import { CATEGORY_PRECAUTIONS } from '../../core/warning/precautions';
import { recordWorkbook } from '../../core/warning/record-workbook';
import { responseRecord, type RecordScope } from '../../core/warning/response-record';
import { warningStatus } from '../../core/warning/status';
import { answeredStatus, endedStatus } from '../../core/warning/warning-cards';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** What the routes need. */
export interface WarningViewDeps {
  prisma: PrismaClient;
  authz: Authz;
  /** After a unit's first answer: its other copies and the regulators' rate (workflows/warning). */
  /** Applies a command's effects after its commit (a unit's first answer: its copies, the rate). */
  apply: ApplyEffects;
}

type Ctx = Context & { state: AuthzState };

/** The warning, when the reader may see it: a unit it covers, or a jurisdiction it touches. */
async function visibleWarning(prisma: PrismaClient, ctx: Ctx) {
  const w = await prisma.lightningWarning.findUnique({ where: { id: ctx.params.id ?? '' } });
  if (!w) throw new NotFoundError('WARNING_NOT_FOUND', '该预警不存在');
  const { scope, person } = ctx.state;
  if (scope.all) return w;
  if (scope.regionCodes.some((c) => w.regionCodes.some((r) => regionMatches(c, r) || regionMatches(r, c)))) return w;
  if (person?.unitId && scope.unitIds.includes(person.unitId)) {
    const unit = await prisma.unit.findUnique({ where: { id: person.unitId }, select: { regionCode: true } });
    if (unit && w.regionCodes.some((c) => regionMatches(c, unit.regionCode))) return w;
  }
  throw new PermissionError('该预警不在您的单位或管辖范围内');
}

const recordScope = (s: Scope): RecordScope => ({ all: s.all, regionCodes: s.regionCodes, unitIds: s.unitIds });

const recordQuery = z.object({
  silent: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).optional(),
});

/** The routes. */
export function warningViewRouter(deps: WarningViewDeps): Router<AuthzState> {
  const { prisma, authz } = deps;
  const router = new Router<AuthzState>({ prefix: '/api/m/warnings' });

  router.get(
    '/:id',
    authz.authorize({ action: 'warning.view' }),
    apiDoc({
      summary: '预警详情（「收到」页）',
      description: '预警内容、影响区域、有效期；对重点单位人员另给出本单位的防范措施和是否已确认收到。',
      errors: { 404: '预警不存在' },
    }),
    async (ctx) => {
      const w = await visibleWarning(prisma, ctx);
      const now = new Date();
      const regions = await prisma.region.findMany({ where: { code: { in: w.regionCodes } } });
      const unitId = ctx.state.person?.unitId;
      const mine = unitId
        ? await prisma.warningUnit.findUnique({
            where: { warningId_unitId: { warningId: w.id, unitId } },
            include: { unit: { select: { name: true, category: true } }, answeredBy: { select: { name: true } } },
          })
        : null;
      const ended = endedStatus(w, now);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        id: w.id,
        level: w.level,
        levelLabel: label('WarningLevel', w.level),
        issuer: w.issuer,
        issuedAt: w.issuedAt,
        expiresAt: w.expiresAt,
        regionNames: w.regionCodes.map((c) => regions.find((r) => r.code === c)?.name ?? c),
        text: w.text,
        status: w.status,
        ended: ended?.text ?? null,
        unit: mine
          ? {
              name: mine.unit.name,
              precautions: CATEGORY_PRECAUTIONS[mine.unit.category],
              answered: mine.answeredAt
                ? answeredStatus({ at: mine.answeredAt, name: mine.answeredBy?.name ?? '' })!.text
                : null,
            }
          : null,
      };
    },
  );

  router.post(
    '/:id/ack',
    authz.authorize({ action: 'warning.ack' }),
    apiDoc({
      summary: '确认收到预警',
      description:
        '重点单位负责人或法定代表人确认收到预警并落实防范措施。from 为打开本页的消息（如 FIRST_LINE.WORK_NOTICE），记入叫应记录。重复确认无副作用。',
      body: z.object({ from: z.string().max(40).optional() }),
      errors: { 404: '预警不存在', 409: '预警已解除或已过有效期' },
    }),
    async (ctx) => {
      const w = await visibleWarning(prisma, ctx);
      const body = (ctx.request.body ?? {}) as { from?: string };
      const res = await acknowledgeWarning(prisma, w.id, ctx.state.person.id, { via: viaFromPage(body.from) });
      await deps.apply(res);
      ctx.body = { warningId: w.id, unitId: res.unitId, alreadyAcknowledged: res.alreadyAcknowledged };
    },
  );

  router.get(
    '/:id/status',
    authz.authorize({ action: 'warning.record' }),
    apiDoc({
      summary: '预警送达与应答实时统计',
      description:
        '覆盖单位、已送达、已应答、未应答、无法送达、已告知监管人员，按首次通知方式统计；仅含本人管辖范围内的单位。',
      errors: { 404: '预警不存在' },
    }),
    async (ctx) => {
      const w = await visibleWarning(prisma, ctx);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await prisma.$transaction((tx) => warningStatus(tx, w.id, recordScope(ctx.state.scope)));
    },
  );

  router.get(
    '/:id/response-record',
    authz.authorize({ action: 'warning.record' }),
    apiDoc({
      summary: '叫应记录',
      description:
        '每家单位的首次通知方式、每次叫应（方式、接收人、时间、结果及原因）、应答时间、应答人与方式、是否已告知监管人员；silent=true 只列未应答单位。仅含本人管辖范围内的单位。',
      query: recordQuery,
      errors: { 404: '预警不存在' },
    }),
    async (ctx) => {
      const w = await visibleWarning(prisma, ctx);
      const q = recordQuery.parse(ctx.query);
      const size = q.pageSize ?? 200;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await prisma.$transaction((tx) =>
        responseRecord(tx, w.id, recordScope(ctx.state.scope), {
          silentOnly: q.silent === 'true',
          offset: ((q.page ?? 1) - 1) * size,
          limit: size,
        }),
      );
    },
  );

  router.get(
    '/:id/response-record.xlsx',
    authz.authorize({ action: 'warning.record' }),
    apiDoc({
      summary: '叫应记录导出（Excel）',
      description: '与叫应记录内容相同：预警与统计、单位叫应情况、呼叫明细三个工作表。每次导出记入审计。',
      produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      errors: { 404: '预警不存在' },
    }),
    async (ctx) => {
      const w = await visibleWarning(prisma, ctx);
      const now = new Date();
      const record = await prisma.$transaction(
        async (tx) => {
          const r = await responseRecord(tx, w.id, recordScope(ctx.state.scope));
          await appendAudit(tx, {
            actorKind: 'PERSON',
            actorPersonId: ctx.state.person?.id,
            action: 'warning.record.exported',
            subjectType: 'warning',
            subjectId: w.id,
            data: { units: r.total },
          });
          return r;
        },
        { timeout: 60_000 },
      );
      const name = `叫应记录-${w.id}-${shanghaiDate(now)}.xlsx`;
      ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      ctx.set(
        'Content-Disposition',
        `attachment; filename="warning-record-${w.id}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await recordWorkbook(record, now);
    },
  );
  return router;
}
