// POST /api/m/inspections             — a regulator plans an inspection of a unit (core/inspection/plan-inspection.ts);
// GET  /api/m/inspections/:id         — an inspection with its checklist (and answers once submitted): a
//                                       regulator's visit shows the combined checklist (一表通查) first;
// POST /api/m/inspections/:id/submit  — submit the answers (core/inspection/code-inspection.ts).
// Who may read and submit: core/authz POLICY; only the inspection's inspectors may submit.
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { NotFoundError } from '../../core/errors';
import { checklistById } from '../../core/inspection/checklists';
import type { PlanSettings } from '../../core/hazard/plan';
import { inspectionItems, submitInspection, submitInspectionInput } from '../../core/inspection/code-inspection';
import { planInspection, planInspectionInput } from '../../core/inspection/plan-inspection';
import type { InspectionRules } from '../../core/inspection/scan-in';
import { scanLocationText } from '../../core/field-work/site-scan';
import { shanghaiMinute } from '../../core/domain/working-days';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** Dependencies of the inspection routes. */
export interface InspectionRouteDeps {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
  /** Applies a command's effects after its commit (deliveries, card refreshes, follow-up jobs). */
  apply: ApplyEffects;
  /** Regulators' inspections: yearly cap and repeated-inspection window (issue #22). */
  inspections: InspectionRules;
  /** The plan new hazards take (config.hazard); default DEFAULT_PLAN_SETTINGS. */
  plan?: PlanSettings;
}

/** The inspection routes. */
export function inspectionsRouter(deps: InspectionRouteDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/inspections' });
  const resource = { type: 'inspection', param: 'id' };

  router.post(
    '/',
    deps.authz.authorize({ action: 'inspection.plan', resource: { type: 'unit', body: 'unitId' } }),
    apiDoc({
      summary: '安排对单位的检查',
      description:
        '执法人员安排重点检查、专项检查或复查，计入单位年度检查次数；已达年度上限（国办发〔2024〕54号）须填写理由（reason），理由报送分管领导。其他机构近期检查过该单位的，向双方发出重复检查提醒。到场后扫描单位监管码入场。',
      body: planInspectionInput,
      status: 201,
    }),
    async (ctx) => {
      const r = await planInspection(deps.prisma, ctx.state.person.id, ctx.request.body, {
        ...deps.inspections,
        publicBaseUrl: deps.publicBaseUrl,
      });
      await deps.apply(r);
      ctx.status = 201;
      ctx.body = { inspectionId: r.inspectionId, overCap: r.overCap };
    },
  );

  router.get(
    '/:id',
    deps.authz.authorize({ action: 'inspection.view', resource }),
    apiDoc({
      summary: '检查记录及检查表',
      description: '检查表按单位类别，保留开始检查时的版本；提交后含每项结果和由不符合项生成的隐患。',
    }),
    async (ctx) => {
      const insp = await deps.prisma.inspection.findUnique({
        where: { id: ctx.state.resource!.id },
        include: {
          unit: { select: { id: true, name: true, regionCode: true, category: true, address: true } },
          items: true,
          org: { select: { name: true } },
          visit: { include: { person: { select: { name: true } } } },
        },
      });
      if (!insp?.unit) throw new NotFoundError('INSPECTION_NOT_FOUND', '检查记录不存在');
      const unit = insp.unit;
      const checklist = await checklistById(deps.prisma, insp.checklistId);
      const answers = new Map(insp.items.map((i) => [i.itemKey, i]));
      ctx.body = {
        inspection: {
          id: insp.id,
          mode: insp.mode,
          modeLabel: label('InspectionMode', insp.mode),
          status: insp.status,
          statusLabel: label('InspectionStatus', insp.status),
          canSubmit: insp.inspectorIds.includes(ctx.state.person.id) && insp.status === 'IN_PROGRESS',
          score: insp.score,
          result: insp.result,
          submittedAt: insp.submittedAt?.toISOString() ?? null,
          unit: {
            id: unit.id,
            name: unit.name,
            address: unit.address,
            categoryLabel: label('UnitCategory', unit.category),
          },
          checklist: { name: checklist.name, version: checklist.version },
          org: insp.org?.name ?? null,
          overCap: insp.overCap,
          overCapReason: insp.overCapReason,
          visit: insp.visit
            ? {
                at: shanghaiMinute(insp.visit.scannedAt),
                by: insp.visit.person.name,
                text: scanLocationText(insp.visit),
              }
            : null,
          items: inspectionItems(insp.extraItems, checklist.items).map((item, n) => {
            const a = answers.get(item.key);
            return {
              no: n + 1,
              key: item.key,
              text: item.text,
              /** 'test' periodic-test follow-up, 'hazard' open hazard to re-check, 'checklist' the category's. */
              section: item.section ?? 'checklist',
              hazardId: item.hazardId ?? null,
              legalBasis: item.legalBasis,
              gradeLabel: label('HazardGrade', item.grade),
              answer: a
                ? {
                    result: a.result,
                    resultLabel: label('ItemResult', a.result),
                    note: a.note,
                    photos: a.photos,
                    hazardId: a.hazardId,
                  }
                : null,
            };
          }),
        },
      };
    },
  );

  // Only the inspection's inspectors may submit (core/inspection checks it after the input).
  const submit = apiDoc({
    summary: '提交检查结果',
    description:
      '每项须选 符合 / 不符合 / 不适用；不符合项须附照片（本系统上传的图片），并按该项的法律依据和默认期限登记为隐患。位置仅在本人同意时提交。',
    body: submitInspectionInput,
    errors: { 409: '该检查已提交' },
  });
  router.post('/:id/submit', deps.authz.authorize({ action: 'inspection.submit', resource }), submit, async (ctx) => {
    const me = ctx.state.person;
    const r = await submitInspection(deps.prisma, me.id, ctx.state.resource!.id, ctx.request.body ?? {}, {
      publicBaseUrl: deps.publicBaseUrl,
      plan: deps.plan,
      // The unit's own people self-check; anyone else inspects as the regulator.
      source: me.unitId !== null && me.unitId === ctx.state.resource!.unitId ? 'SELF_CHECK' : 'ENFORCEMENT',
    });
    await deps.apply(r);
    ctx.body = {
      inspectionId: r.inspectionId,
      score: r.score,
      result: r.result,
      hazardIds: r.hazardIds,
      recheckedHazardIds: r.recheckedHazardIds,
    };
  });
  return router;
}
