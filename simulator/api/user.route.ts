// 免登 and user look-ups on the oapi family (§8).
import type Router from '@koa/router';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { OapiError, oapiParamError } from '../http/errors';
import { gate, type GateState } from '../http/gate';
import { findUser, userVisibleTo, type SimUser } from '../state';

function ok(result: unknown): Record<string, unknown> {
  return { errcode: 0, errmsg: 'ok', result, request_id: Math.random().toString(36).slice(2) };
}

function stringField(b: Record<string, unknown>, name: string): string {
  const v = b[name];
  if (typeof v !== 'string' || v === '') throw oapiParamError(`${name} 不能为空`);
  return v;
}

function userDetail(u: SimUser, corpId: string): Record<string, unknown> {
  return {
    userid: u.userId,
    unionid: u.unionId,
    name: u.name,
    avatar: '',
    mobile: u.mobile ?? '',
    state_code: '86',
    email: '',
    title: u.title ?? '',
    dept_id_list: u.deptIds,
    manager_userid: '',
    active: true,
    admin: false,
    boss: false,
    leader_in_dept: u.deptIds.map((d) => ({ dept_id: d, leader: false })),
    real_authed: true,
    corp_id: corpId,
  };
}

/** Registers the user routes. */
export function userRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;

  router.post(
    '/topapi/v2/user/getuserinfo',
    gate(sim, { api: 'user.getUserInfo', family: 'oapi', auth: 'token' }),
    (ctx) => {
      const app = (ctx.state as GateState).app;
      const code = stringField(bodyObject(ctx), 'code');
      const rec = state.authCodes.get(code);
      // Auth codes are single-use and live 5 minutes, used or not.
      state.authCodes.delete(code);
      const user = rec && rec.expiresAt > state.clock.now() ? findUser(state, app.appKey, rec.userId) : undefined;
      if (!user) throw new OapiError(40078, '不存在的临时授权码');
      ctx.body = ok({
        userid: user.userId,
        unionid: user.unionId,
        associated_unionid: '',
        device_id: `sim-device-${user.userId}`,
        sys: false,
        sys_level: 0,
        name: user.name,
      });
    },
  );

  router.post('/topapi/v2/user/get', gate(sim, { api: 'user.get', family: 'oapi', auth: 'token' }), (ctx) => {
    const app = (ctx.state as GateState).app;
    const user = findUser(state, app.appKey, stringField(bodyObject(ctx), 'userid'));
    if (!user) throw new OapiError(33012, '无效的USERID');
    ctx.body = ok(userDetail(user, app.corpId));
  });

  router.post(
    '/topapi/v2/user/getbymobile',
    gate(sim, { api: 'user.getByMobile', family: 'oapi', auth: 'token' }),
    (ctx) => {
      const app = (ctx.state as GateState).app;
      const mobile = stringField(bodyObject(ctx), 'mobile');
      const user = [...state.users.values()].find((u) => u.mobile === mobile && userVisibleTo(u, app.appKey));
      if (!user) throw new OapiError(60121, '找不到该用户');
      ctx.body = ok({ userid: user.userId });
    },
  );

  router.post(
    '/topapi/user/getbyunionid',
    gate(sim, { api: 'user.getByUnionId', family: 'oapi', auth: 'token' }),
    (ctx) => {
      const app = (ctx.state as GateState).app;
      const unionId = stringField(bodyObject(ctx), 'unionid');
      const user = [...state.users.values()].find((u) => u.unionId === unionId && userVisibleTo(u, app.appKey));
      if (!user) throw new OapiError(60121, '找不到该用户');
      ctx.body = ok({ userid: user.userId, contact_type: 0 });
    },
  );
}
