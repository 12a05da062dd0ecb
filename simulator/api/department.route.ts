// Contact departments on the oapi family: sub-departments of a department and the userIds in one
// (topapi/v2/department/listsub, topapi/user/listid). Department 1 is the org's root and always
// exists; the others come from POST /__sim/departments.
import type Router from '@koa/router';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { OapiError, oapiParamError } from '../http/errors';
import { gate, type GateState } from '../http/gate';
import { userVisibleTo, type SimulatorState } from '../state';

/** The root department's id, as in DingTalk. */
export const ROOT_DEPT_ID = 1;

function ok(result: unknown): Record<string, unknown> {
  return { errcode: 0, errmsg: 'ok', result, request_id: Math.random().toString(36).slice(2) };
}

function deptIdField(b: Record<string, unknown>): number {
  const v = typeof b['dept_id'] === 'string' ? Number(b['dept_id']) : b['dept_id'];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw oapiParamError('dept_id 必须是正整数');
  return v;
}

function requireDept(state: SimulatorState, deptId: number): void {
  // 60003: 部门不存在 (DingTalk's code for an unknown dept_id).
  if (deptId !== ROOT_DEPT_ID && !state.departments.has(deptId)) throw new OapiError(60003, '部门不存在');
}

/** Registers the department routes. */
export function departmentRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;

  router.post(
    '/topapi/v2/department/listsub',
    gate(sim, { api: 'department.listSub', family: 'oapi', auth: 'token' }),
    (ctx) => {
      const deptId = deptIdField(bodyObject(ctx));
      requireDept(state, deptId);
      const subs = [...state.departments.values()]
        .filter((d) => d.parentId === deptId)
        .sort((a, b) => a.deptId - b.deptId)
        .map((d) => ({
          dept_id: d.deptId,
          name: d.name,
          parent_id: d.parentId,
          create_dept_group: false,
          auto_add_user: false,
        }));
      ctx.body = ok(subs);
    },
  );

  router.post('/topapi/user/listid', gate(sim, { api: 'user.listIdByDept', family: 'oapi', auth: 'token' }), (ctx) => {
    const app = (ctx.state as GateState).app;
    const deptId = deptIdField(bodyObject(ctx));
    requireDept(state, deptId);
    const ids = [...state.users.values()]
      .filter((u) => userVisibleTo(u, app.appKey) && u.deptIds.includes(deptId))
      .map((u) => u.userId);
    ctx.body = ok({ userid_list: ids });
  });
}
