// The interview in the mini-app (issue #6 parts 5-6; the summons card links here):
//   GET  /api/m/interviews/:id               the summons, confirmations, outcome and follow-up tasks
//   POST /api/m/interviews/:id/outcome       { record, commitments: [{ text, dueAt }] }  the regulator records what was said
//   POST /api/m/interview-tasks/:id/done     { note? }  the unit closes a follow-up task (the last one closes the interview)
// Permission and state checks live in core/interview; deliveries are dispatched and the summons
// card refreshed after commit.
import Router from '@koa/router';
import type { Config } from '../../core/config';
import type { PrismaClient } from '../../core/db';
import { NotFoundError } from '../../core/errors';
import { interviewDetail } from '../../core/interview/detail';
import { completeTask, recordOutcome } from '../../core/interview/outcome';
import '../../core/interview/resources';
import type { Authz, AuthzState } from '../authz';

/** What the routes need from the process. */
export interface InterviewRoutesDeps {
  prisma: PrismaClient;
  authz: Authz;
  config: Config;
  publicBaseUrl: string;
  dispatch(ids: string[]): Promise<unknown>;
  refreshCards(subjectType: string, subjectId: string): Promise<unknown>;
}

const INTERVIEW = { type: 'interview', param: 'id' } as const;

/** The interview routes. */
export function interviewsRouter(deps: InterviewRoutesDeps): Router<AuthzState> {
  const router = new Router<AuthzState>();
  const opts = { config: deps.config, publicBaseUrl: deps.publicBaseUrl };
  const body = (raw: unknown) => (raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {});

  router.get(
    '/api/m/interviews/:id',
    deps.authz.authorize({ action: 'interview.view', resource: INTERVIEW }),
    async (ctx) => {
      const detail = await interviewDetail(deps.prisma, ctx.params.id ?? '', ctx.state.person);
      if (!detail) throw new NotFoundError('INTERVIEW_NOT_FOUND', '该约谈不存在');
      ctx.body = detail;
    },
  );

  router.post(
    '/api/m/interviews/:id/outcome',
    deps.authz.authorize({ action: 'interview.record', resource: INTERVIEW }),
    async (ctx) => {
      const res = await recordOutcome(
        deps.prisma,
        { interviewId: ctx.params.id ?? '', personId: ctx.state.person.id },
        ctx.request.body,
        opts,
      );
      await deps.dispatch(res.deliveryIds);
      await deps.refreshCards('interview', res.interviewId);
      ctx.status = 201;
      ctx.body = { interviewId: res.interviewId, taskIds: res.taskIds, closed: res.closed };
    },
  );

  router.post(
    '/api/m/interview-tasks/:id/done',
    deps.authz.authorize({ action: 'interview.task.complete', resource: { type: 'interview-task', param: 'id' } }),
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
      await deps.dispatch(res.deliveryIds);
      if (res.closed && !res.already) await deps.refreshCards('interview', res.interviewId);
      ctx.body = { taskId: res.taskId, closed: res.closed, already: res.already };
    },
  );
  return router;
}
