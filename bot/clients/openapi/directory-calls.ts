// DingTalk directory calls (the org's people and departments, the old API at oapi.dingtalk.com) of
// DingTalkClient, on the same quota, token and metrics as every other call (call-runner.ts).
import { DingTalkApiError } from '../errors';
import type { CallRunner } from './call-runner';
import * as map from './oapi-mappers';
import type * as T from './types';

/** The directory calls of one app. */
export class DirectoryCalls {
  constructor(private readonly run: CallRunner) {}

  /** The user behind a front-end auth code (免登码; single use, 5 minutes). */
  async userByAuthCode(code: string, opts?: T.CallOptions): Promise<T.AuthCodeUser> {
    const b = await this.run.oapi('user.getUserInfo', '/topapi/v2/user/getuserinfo', opts, { code });
    return map.authCodeUser(b);
  }

  /** A user's record (name, mobile, departments...). */
  async userGet(userId: string, opts?: T.CallOptions): Promise<T.DingTalkUser> {
    const b = await this.run.oapi('user.get', '/topapi/v2/user/get', opts, { userid: userId, language: 'zh_CN' });
    return map.user(b);
  }

  /** The userId of a mobile number, or null when nobody in the org has it (60121). */
  async userByMobile(mobile: string, opts?: T.CallOptions): Promise<string | null> {
    try {
      const b = await this.run.oapi('user.getByMobile', '/topapi/v2/user/getbymobile', opts, { mobile });
      return String((b.result as Record<string, unknown> | undefined)?.userid);
    } catch (err) {
      if (err instanceof DingTalkApiError && err.dingCode === '60121') return null;
      throw err;
    }
  }

  /** The direct sub-departments of a department (1 = the org's root). */
  async departmentsUnder(deptId: number, opts?: T.CallOptions): Promise<T.DingTalkDepartment[]> {
    const b = await this.run.oapi('department.listSub', '/topapi/v2/department/listsub', opts, {
      dept_id: deptId,
      language: 'zh_CN',
    });
    return map.departments(b);
  }

  /** The userIds of a department's direct members. */
  async userIdsInDepartment(deptId: number, opts?: T.CallOptions): Promise<string[]> {
    const b = await this.run.oapi('user.listIdByDept', '/topapi/user/listid', opts, { dept_id: deptId });
    return map.userIds(b);
  }
}
