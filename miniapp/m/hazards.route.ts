// GET /api/m/hazards — the signed-in person's hazards, newest first (who sees what: core/authz
// POLICY 'hazard.list'). GET /api/m/hazards/:id — one hazard with who has acknowledged it, its
// latest submission and its pending extension. POST /api/m/hazards — a regulator files a hazard
// at a unit of the jurisdiction (查, issue #4 part 1).
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import type { HazardStatus } from '../../core/db/generated/enums';
import { regionPrefix } from '../../core/domain/region';
import { scopeCovers, scopeUnitWhere } from '../../core/authz';
import { NotFoundError, ValidationError } from '../../core/errors';
import { label } from '../../core/domain/labels';
import { shanghaiDate } from '../../core/domain/working-days';
import { fileHazard, fileHazardInput } from '../../core/hazard/file-hazard';
import { hazardNo } from '../../core/hazard/hazard-no';
import { DEFAULT_LEGAL_BASIS } from '../../core/hazard/notice-data';
import type { PlanSettings } from '../../core/hazard/plan';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';
import { byUrgency, hazardSummary } from './hazard-view';

const listQuery = z.object({
  status: z.enum(['PENDING', 'FIXING', 'SUBMITTED', 'CLOSED', 'OVERDUE', 'ESCALATED']).optional(),
  /** open: everything not closed (the default list); closed: closed only; all: both. */
  state: z.enum(['open', 'closed', 'all']).default('all'),
  /** Only open ones past their deadline (the dashboard's 「已逾期」). */
  overdue: z.enum(['1']).optional(),
  /** Only units of this region (a county, or a city's counties). */
  region: z
    .string()
    .regex(/^\d{6}$/, '地区代码应为 6 位数字')
    .optional(),
  /** Only this unit's. */
  unit: z.string().uuid('单位编号有误').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const RECTIFIABLE: HazardStatus[] = ['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED'];
const UNIT = { select: { id: true, name: true, regionCode: true } } as const;

function photosOf(json: unknown): Array<{ url: string }> {
  return (Array.isArray(json) ? (json as Array<{ url?: unknown }>) : [])
    .filter((p) => typeof p?.url === 'string')
    .map((p) => ({ url: p.url as string }));
}

type RectRow = {
  id: string;
  description: string;
  photos: unknown;
  submittedAt: Date;
  decision: 'APPROVED' | 'REJECTED' | null;
  decidedAt: Date | null;
  rejectReason: string | null;
  submittedBy: { name: string };
  decidedBy: { name: string } | null;
};

/** The latest submission: what the regulator verifies, or why it was rejected. */
function rectificationView(r: RectRow | undefined) {
  if (!r) return null;
  return {
    id: r.id,
    description: r.description,
    photos: photosOf(r.photos),
    submittedBy: r.submittedBy.name,
    submittedAt: r.submittedAt.toISOString(),
    decision: r.decision,
    decisionLabel: r.decision ? label('RectificationDecision', r.decision) : '待复核',
    decidedBy: r.decidedBy?.name ?? null,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    rejectReason: r.rejectReason,
  };
}

/** The extension request awaiting a decision, with its approval (decided on /m/approvals/:id). */
function extensionView(
  e:
    | {
        id: string;
        reason: string;
        newDeadline: Date;
        createdAt: Date;
        approvalInstanceId: string | null;
        requestedBy: { name: string };
      }
    | undefined,
) {
  if (!e) return null;
  return {
    id: e.id,
    reason: e.reason,
    newDeadline: shanghaiDate(e.newDeadline),
    requestedBy: e.requestedBy.name,
    requestedAt: e.createdAt.toISOString(),
    approvalId: e.approvalInstanceId,
  };
}

/** What the hazard routes need. */
export interface HazardsRouteDeps {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
  /** Dispatches the alerts and refreshes cards after a filing commits. */
  /** Applies a command's effects after its commit (deliveries, card refreshes, follow-up jobs). */
  apply: ApplyEffects;
  /** The plan new hazards take (config.hazard); default DEFAULT_PLAN_SETTINGS. */
  plan?: PlanSettings;
  now?: () => Date;
}

/** The hazard routes of the mini-app. */
export function hazardsRouter(deps: HazardsRouteDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/hazards' });
  const now = deps.now ?? (() => new Date());

  // The unit comes from the body; the guard checks it is in the regulator's jurisdiction.
  const filing = apiDoc({
    summary: '登记隐患',
    description:
      '执法人员登记辖区内重点单位的隐患；整改期限为工作日数（按中国法定节假日计算）或截止日期，二者选一，不能早于当前时间。登记后单位负责人收到互动卡片（重大隐患另通知法定代表人并 DING 负责人）。',
    body: fileHazardInput,
    status: 201,
  });
  router.post(
    '/',
    deps.authz.authorize({ action: 'hazard.file', resource: { type: 'unit', body: 'unitId' } }),
    filing,
    async (ctx) => {
      const res = await fileHazard(deps.prisma, ctx.state.person.id, ctx.request.body ?? {}, {
        publicBaseUrl: deps.publicBaseUrl,
        via: 'miniapp',
        plan: deps.plan,
      });
      await deps.apply(res);
      ctx.status = 201;
      ctx.body = { hazardId: res.hazardId, no: hazardNo(res.hazardId) };
    },
  );

  router.get(
    '/',
    deps.authz.authorize({ action: 'hazard.list' }),
    apiDoc({
      summary: '我的隐患列表',
      description:
        '单位人员看本单位的隐患，执法人员和领导看本辖区的隐患。最紧急的在前：已上报、已逾期（逾期最久的在前）、按整改期限；state=open 只列未销号的，state=closed 只列已销号的（最近销号的在前）。',
      query: listQuery,
    }),
    async (ctx) => {
      const parsed = listQuery.safeParse(ctx.query);
      if (!parsed.success) throw ValidationError.fromZod(parsed.error, '查询条件');
      const { scope, principal } = ctx.state;
      const unitWhere = scopeUnitWhere(scope);
      const { state, status, limit, overdue, region, unit } = parsed.data;
      const stateWhere = state === 'open' ? { not: 'CLOSED' as const } : state === 'closed' ? 'CLOSED' : undefined;
      // Open hazards by deadline: the earliest deadline is the longest overdue, so the first `limit`
      // rows are the most urgent ones; closed ones, most recently closed first.
      const rows = unitWhere
        ? await deps.prisma.hazard.findMany({
            where: {
              unit: unitWhere,
              AND: [
                { status },
                { status: stateWhere },
                overdue ? { status: { in: RECTIFIABLE }, deadline: { lt: now() } } : {},
                region ? { unit: { regionCode: { startsWith: regionPrefix(region) } } } : {},
                unit ? { unitId: unit } : {},
              ],
            },
            include: { unit: UNIT },
            orderBy:
              state === 'closed'
                ? [{ closedAt: 'desc' }, { id: 'desc' }]
                : state === 'open'
                  ? [{ deadline: 'asc' }, { id: 'asc' }]
                  : [{ createdAt: 'desc' }, { id: 'desc' }],
            take: limit,
          })
        : [];
      const t = now();
      if (state !== 'closed') rows.sort(byUrgency(t));
      ctx.body = {
        items: rows
          .filter((h) => scopeCovers(scope, { unitId: h.unit.id, regionCode: h.unit.regionCode }, principal.id))
          .map((h) => hazardSummary(h, t)),
      };
    },
  );

  router.get(
    '/:id',
    deps.authz.authorize({ action: 'hazard.view', resource: { type: 'hazard', param: 'id' } }),
    apiDoc({ summary: '隐患详情', description: '含知悉情况、最近一次整改及其复核结果、待审批的延期申请。' }),
    async (ctx) => {
      const h = await deps.prisma.hazard.findUnique({
        where: { id: ctx.state.resource!.id },
        include: {
          unit: UNIT,
          filedBy: { select: { name: true, org: { select: { name: true } } } },
          acks: { include: { person: { select: { id: true, name: true } } }, orderBy: { at: 'asc' } },
          rectifications: {
            orderBy: { submittedAt: 'desc' },
            take: 1,
            include: { submittedBy: { select: { name: true } }, decidedBy: { select: { name: true } } },
          },
          extensions: { where: { status: 'PENDING' }, take: 1, include: { requestedBy: { select: { name: true } } } },
        },
      });
      if (!h) throw new NotFoundError('HAZARD_NOT_FOUND', '隐患不存在或已被删除');
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
          photos: photosOf(h.photos),
          rectification: rectificationView(h.rectifications[0]),
          pendingExtension: extensionView(h.extensions[0]),
        },
      };
    },
  );
  return router;
}
