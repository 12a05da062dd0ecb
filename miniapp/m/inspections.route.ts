// GET  /api/m/inspections/:id         — an inspection with its checklist (and answers once submitted);
// POST /api/m/inspections/:id/submit  — submit the answers (core/inspection/code-inspection.ts).
// Who may read and submit: core/authz POLICY; only the inspection's inspectors may submit.
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { NotFoundError } from '../../core/errors';
import { checklistById } from '../../core/inspection/checklists';
import { submitInspection } from '../../core/inspection/code-inspection';
import '../../core/inspection/resources';
import type { Authz, AuthzState } from '../authz';

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

  router.get('/:id', deps.authz.authorize({ action: 'inspection.view', resource }), async (ctx) => {
    const insp = await deps.prisma.inspection.findUnique({
      where: { id: ctx.state.resource!.id },
      include: { unit: { select: { id: true, name: true, regionCode: true, category: true, address: true } }, items: true },
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
        unit: { id: unit.id, name: unit.name, address: unit.address, categoryLabel: label('UnitCategory', unit.category) },
        checklist: { name: checklist.name, version: checklist.version },
        items: checklist.items.map((item, n) => {
          const a = answers.get(item.key);
          return {
            no: n + 1,
            key: item.key,
            text: item.text,
            legalBasis: item.legalBasis,
            gradeLabel: label('HazardGrade', item.grade),
            answer: a ? { result: a.result, resultLabel: label('ItemResult', a.result), note: a.note, photos: a.photos, hazardId: a.hazardId } : null,
          };
        }),
      },
    };
  });

  // Only the inspection's inspectors may submit (core/inspection checks it after the input).
  router.post('/:id/submit', deps.authz.authorize({ action: 'inspection.submit', resource }), async (ctx) => {
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
