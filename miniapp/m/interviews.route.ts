// The interview in the mini-app (issue #6 parts 5-6; the summons card links here):
//   GET  /api/m/interviews/:id               the summons, confirmations, outcome and follow-up tasks
//   POST /api/m/interviews/:id/confirm       the unit's legal representative or manager confirms (as on the card)
//   POST /api/m/interviews/:id/reschedule-request { reason? }  they ask to reschedule (back to the regulator)
//   POST /api/m/interviews/:id/reschedule    { time, place }  the regulator answers with a new time and place
//   POST /api/m/interviews/:id/outcome       { record, commitments: [{ text, dueAt }] }  the regulator's record
//   POST /api/m/interview-tasks/:id/done     { note? }  the unit closes a follow-up task (the last closes it all)
// The summons card's 「确认参加」/「申请改期」 and the proposal card's new time (after a request to
// reschedule) work here too: the to-dos of those tasks (issue #21) open this page. Permission and
// state checks live in core/interview; deliveries are dispatched and the cards refreshed after commit.
import type { ApplyEffects, Effects } from '../../core/effects';
import Router from '@koa/router';
import { z } from 'zod';
import type { Config } from '../../core/config';
import type { PrismaClient } from '../../core/db';
import { ConflictError, NotFoundError } from '../../core/errors';
import { interviewDetail } from '../../core/interview/detail';
import { completeTask, recordOutcome } from '../../core/interview/outcome';
import { confirmAttendance, requestReschedule } from '../../core/interview/respond';
import { scheduleInterview } from '../../core/interview/schedule';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** What the routes need from the process. */
export interface InterviewRoutesDeps {
  prisma: PrismaClient;
  authz: Authz;
  config: Config;
  publicBaseUrl: string;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}

const INTERVIEW = { type: 'interview', param: 'id' } as const;

/** 「申请改期」: an optional reason (core/interview/respond.ts keeps 200 characters). */
const requestBody = z.object({ reason: z.string().max(200, '改期理由不超过 200 字').optional() });
/** The new time and place (checked by core/interview/schedule.ts). */
const rescheduleBody = z.object({ time: z.string(), place: z.string() });

/** The interview routes. */
export function interviewsRouter(deps: InterviewRoutesDeps): Router<AuthzState> {
  const router = new Router<AuthzState>();
  const opts = { config: deps.config, publicBaseUrl: deps.publicBaseUrl };
  const body = (raw: unknown) => (raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {});

  router.get(
    '/api/m/interviews/:id',
    deps.authz.authorize({ action: 'interview.view', resource: INTERVIEW }),
    apiDoc({
      summary: '约谈详情',
      description: '约谈通知、确认参加情况、约谈结果和整改承诺，以及本人现在可以办理的事项。',
      errors: { 404: '该约谈不存在' },
    }),
    async (ctx) => {
      const detail = await interviewDetail(deps.prisma, ctx.params.id ?? '', ctx.state.person);
      if (!detail) throw new NotFoundError('INTERVIEW_NOT_FOUND', '该约谈不存在');
      ctx.body = detail;
    },
  );

  // The summoned unit's answers: deliveries out and the cards refreshed after commit.
  const respond = (
    path: string,
    doc: Parameters<typeof apiDoc>[0],
    run: (ctx: {
      params: Record<string, string | undefined>;
      state: AuthzState;
      request: { body?: unknown };
    }) => Promise<Effects & { interviewId: string; already: boolean }>,
  ) =>
    router.post(
      path,
      deps.authz.authorize({ action: 'interview.respond', resource: INTERVIEW }),
      apiDoc(doc),
      async (ctx) => {
        const res = await run(ctx);
        await deps.apply(res);
        ctx.body = { interviewId: res.interviewId, already: res.already };
      },
    );

  respond(
    '/api/m/interviews/:id/confirm',
    {
      summary: '确认参加约谈',
      description: '被约谈单位的法定代表人或负责人确认参加（与约谈通知卡片上的「确认参加」相同）；再次确认不重复记录。',
      errors: { 404: '该约谈不存在', 409: '该约谈当前无需确认' },
    },
    (ctx) => confirmAttendance(deps.prisma, ctx.params.id ?? '', ctx.state.person.id),
  );

  respond(
    '/api/m/interviews/:id/reschedule-request',
    {
      summary: '申请约谈改期',
      description: '被约谈单位申请改期（可附理由，200 字以内），退回发起约谈的执法人员重新安排。',
      body: requestBody,
      errors: { 404: '该约谈不存在', 409: '该约谈当前不能申请改期' },
    },
    (ctx) => {
      const { reason } = requestBody.parse(ctx.request.body ?? {});
      return requestReschedule(
        deps.prisma,
        { interviewId: ctx.params.id ?? '', personId: ctx.state.person.id, reason },
        opts,
      );
    },
  );

  router.post(
    '/api/m/interviews/:id/reschedule',
    deps.authz.authorize({ action: 'interview.schedule', resource: INTERVIEW }),
    apiDoc({
      summary: '重新安排约谈',
      description: '单位申请改期后，执法人员填写新的约谈时间和地点，重新通知被约谈单位（须再次确认参加）。',
      body: rescheduleBody,
      errors: { 404: '该约谈不存在', 409: '单位未申请改期，该约谈当前无需改期' },
    }),
    async (ctx) => {
      const { time, place } = rescheduleBody.parse(ctx.request.body ?? {});
      const iv = await deps.prisma.interview.findUnique({
        where: { id: ctx.params.id ?? '' },
        select: { status: true, dutyAction: { select: { id: true } } },
      });
      if (!iv) throw new NotFoundError('INTERVIEW_NOT_FOUND', '该约谈不存在');
      const action = iv.dutyAction;
      if (iv.status !== 'RESCHEDULE_REQUESTED' || !action)
        throw new ConflictError('INTERVIEW_NOT_RESCHEDULING', '单位未申请改期，该约谈当前无需改期');
      const res = await scheduleInterview(
        deps.prisma,
        { dutyActionId: action.id, personId: ctx.state.person.id, time, place },
        opts,
      );
      await deps.apply(res);
      ctx.body = { interviewId: res.interviewId, already: res.already };
    },
  );

  router.post(
    '/api/m/interviews/:id/outcome',
    deps.authz.authorize({ action: 'interview.record', resource: INTERVIEW }),
    apiDoc({
      summary: '登记约谈结果',
      description: '执法人员登记约谈纪要和整改承诺（每项承诺有完成期限）；没有承诺的约谈即办结。',
      status: 201,
      errors: { 404: '该约谈不存在', 409: '约谈状态已变化' },
    }),
    async (ctx) => {
      const res = await recordOutcome(
        deps.prisma,
        { interviewId: ctx.params.id ?? '', personId: ctx.state.person.id },
        ctx.request.body,
        opts,
      );
      await deps.apply(res);
      ctx.status = 201;
      ctx.body = { interviewId: res.interviewId, taskIds: res.taskIds, closed: res.closed };
    },
  );

  router.post(
    '/api/m/interview-tasks/:id/done',
    deps.authz.authorize({ action: 'interview.task.complete', resource: { type: 'interview-task', param: 'id' } }),
    apiDoc({
      summary: '办结整改承诺',
      description: '被约谈单位办结一项整改承诺（可附说明）；最后一项办结后约谈办结。',
      errors: { 404: '该整改承诺不存在' },
    }),
    async (ctx) => {
      const b = body(ctx.request.body);
      const res = await completeTask(
        deps.prisma,
        {
          taskId: ctx.params.id ?? '',
          personId: ctx.state.person.id,
          note: typeof b.note === 'string' ? b.note : undefined,
        },
        opts,
      );
      await deps.apply(res);
      ctx.body = { taskId: res.taskId, closed: res.closed, already: res.already };
    },
  );
  return router;
}
