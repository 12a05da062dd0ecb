// Old-API (snake_case) replies → our typed results. Field names: docs/dingtalk-wire.md §5, §8.
import type { AuthCodeUser, DingTalkDepartment, DingTalkUser, WorkNoticeResult } from './types';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' ? (v as Rec) : {});
const optStr = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** A list of ids, whatever DingTalk sent (absent → empty). */
export function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** getsendresult → WorkNoticeResult. */
export function workNoticeResult(body: Rec): WorkNoticeResult {
  const r = rec(body.send_result);
  const forbidden = Array.isArray(r.forbidden_list) ? r.forbidden_list.map(rec) : [];
  return {
    invalidUserIds: list(r.invalid_user_id_list),
    forbiddenUserIds: list(r.forbidden_user_id_list),
    failedUserIds: list(r.failed_user_id_list),
    readUserIds: list(r.read_user_id_list),
    unreadUserIds: list(r.unread_user_id_list),
    forbiddenList: forbidden.map((f) => ({
      code: String(f.code),
      count: f.count === undefined ? undefined : Number(f.count),
      userId: String(f.userid ?? ''),
    })),
  };
}

/** topapi/v2/user/getuserinfo → AuthCodeUser. */
export function authCodeUser(body: Rec): AuthCodeUser {
  const r = rec(body.result);
  return {
    userId: String(r.userid),
    unionId: optStr(r.unionid),
    name: optStr(r.name),
    sysLevel: r.sys_level === undefined ? undefined : Number(r.sys_level),
  };
}

/** topapi/v2/department/listsub → departments. */
export function departments(body: Rec): DingTalkDepartment[] {
  const list = Array.isArray(body.result) ? body.result : [];
  return list.map((d) => {
    const r = rec(d);
    return { deptId: Number(r.dept_id), name: String(r.name ?? ''), parentId: Number(r.parent_id) };
  });
}

/** topapi/user/listid → userIds. */
export function userIds(body: Rec): string[] {
  const list = rec(body.result).userid_list;
  return Array.isArray(list) ? list.map(String) : [];
}

/** topapi/v2/user/get → DingTalkUser. */
export function user(body: Rec): DingTalkUser {
  const r = rec(body.result);
  return {
    userId: String(r.userid),
    unionId: optStr(r.unionid),
    name: String(r.name ?? ''),
    mobile: optStr(r.mobile),
    title: optStr(r.title),
    avatar: optStr(r.avatar),
    deptIds: Array.isArray(r.dept_id_list) ? r.dept_id_list.map(Number) : [],
    managerUserId: optStr(r.manager_userid),
    active: typeof r.active === 'boolean' ? r.active : undefined,
    admin: typeof r.admin === 'boolean' ? r.admin : undefined,
  };
}
