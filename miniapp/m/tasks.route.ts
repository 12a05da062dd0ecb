// GET /api/m/tasks — 「我的待办」: what waits for the signed-in person, read straight from the
// records other features write (hazards #4, approvals #5, interviews #6, warnings #8, inspections
// #7, the unit's periodic test #8), and for a testing agency's staff their open testing plans (#22),
// each with a link to the mini-app page when there is one. Scope: core/authz 'task.list'.
import Router from '@koa/router';
import { shanghaiDate } from '../../core/domain/working-days';
import type { PrismaClient } from '../../core/db';
import type { DifferentiationRule } from '../../core/inspection/supervision-rule';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';
import type { Draft, Task, TaskContext } from './task';
import { TASK_SOURCES } from './task-sources';

export type { Task } from './task';

/** Most urgent first: escalated, then late (longest first), then by due time, undated last. */
function urgentFirst(a: Task, b: Task): number {
  const tier = (x: Task) => (x.escalated ? 0 : x.late ? 1 : x.due ? 2 : 3);
  return tier(a) - tier(b) || (a.due ?? '9').localeCompare(b.due ?? '9');
}

/** The tasks route. */
export function tasksRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  rule: DifferentiationRule;
  testDueRemindDays: number[];
  now?: () => Date;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/tasks' });
  const now = deps.now ?? (() => new Date());

  router.get(
    '/',
    deps.authz.authorize({ action: 'task.list' }),
    apiDoc({
      summary: '我的待办',
      description: '需要本人处理的隐患、审批、约谈、待确认的雷电预警、到期的码上检查和应安排的防雷装置定期检测。',
    }),
    async (ctx) => {
      const me = ctx.state.person;
      const t = now();
      const { scope } = ctx.state;
      const c: TaskContext = {
        p: deps.prisma,
        me,
        scope,
        t,
        isUnit: me.unitId !== null && scope.unitIds.includes(me.unitId),
        rule: deps.rule,
        testDueRemindDays: deps.testDueRemindDays,
      };
      const drafts: Draft[] = [];
      for (const source of TASK_SOURCES) drafts.push(...(await source(c)));

      const day = (iso: string) => shanghaiDate(new Date(iso));
      const tasks: Task[] = drafts
        .map((d) => ({
          ...d,
          escalated: d.escalated ?? false,
          lateDays:
            d.late && d.due
              ? Math.max(1, Math.round((Date.parse(day(t.toISOString())) - Date.parse(day(d.due))) / 86_400_000))
              : 0,
        }))
        .sort(urgentFirst);
      ctx.body = { items: tasks };
    },
  );
  return router;
}
