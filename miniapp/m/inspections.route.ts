// GET  /api/m/inspections/:id         — an inspection with its checklist (and answers once submitted);
// POST /api/m/inspections/:id/submit  — submit the answers (core/inspection/code-inspection.ts).
// Who may read and submit: core/authz POLICY; only the inspection's inspectors may submit.
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { NotFoundError } from '../../core/errors';
import { checklistById } from '../../core/inspection/checklists';
import { submitInspection, submitInspectionInput } from '../../core/inspection/code-inspection';
import '../../core/inspection/resources';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** Dependencies of the inspection routes. */
export interface InspectionRouteDeps {
  prisma: PrismaClient;
  authz: Authz;
  publicBaseUrl: string;
  /** Queues deliveries written by a submission (hazard alerts) right after commit. */
  dispatch: (deliveryIds: string[]) => Promise<unknown>;
}

/** The inspection routes. */
export function inspectionsRouter(deps: InspectionRouteDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/inspections' });
  const resource = { type: 'inspection', param: 'id' };

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
          items: checklist.items.map((item, n) => {
            const a = answers.get(item.key);
            return {
              no: n + 1,
              key: item.key,
              text: item.text,
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
      // The unit's own people self-check; anyone else inspects as the regulator.
      source: me.unitId !== null && me.unitId === ctx.state.resource!.unitId ? 'SELF_CHECK' : 'ENFORCEMENT',
    });
    await deps.dispatch(r.deliveryIds);
    ctx.body = { inspectionId: r.inspectionId, score: r.score, result: r.result, hazardIds: r.hazardIds };
  });
  return router;
}
