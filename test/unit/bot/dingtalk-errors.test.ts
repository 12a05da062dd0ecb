import {
  DingTalkApiError,
  ERROR_TABLE,
  isPermanentDingTalkError,
  ruleFor,
  toDingTalkApiError,
} from '../../../bot/clients/errors';
import { AppError } from '../../../core/errors';

describe('DingTalk error mapping table', () => {
  it.each([
    // [code, httpStatus, kind, retryable, retryAfterMs]
    ['Forbidden.AccessDenied.QpsLimitForApi', 403, 'quota', true, 1000],
    ['Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', 403, 'quota', true, 1000],
    ['Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', 403, 'quota', true, 60_000],
    ['Forbidden.AccessDenied.QpsLimitForSomethingNew', 403, 'quota', true, 1000],
    ['Forbidden.AccessDenied.ApiCountLimitForOrg', 403, 'quota', false, undefined],
    ['90018', undefined, 'quota', true, 1000],
    ['90002', undefined, 'quota', true, 10_000],
    ['90006', undefined, 'quota', true, 1000],
    ['143103', undefined, 'quota', true, 60_000],
    ['143104', undefined, 'quota', true, 60_000],
    ['660026', undefined, 'quota', true, 600_000],
    ['410100', undefined, 'quota', true, 600_000],
    ['system.busy', 500, 'server', true, undefined],
    ['-1', undefined, 'server', true, undefined],
    ['15', undefined, 'server', true, undefined],
    ['SomethingUnknown', 503, 'server', true, undefined],
    ['InvalidAuthentication', 400, 'auth', true, undefined],
    ['40014', undefined, 'auth', true, undefined],
    ['42001', undefined, 'auth', true, undefined],
    ['invalidClientIdOrSecret', 400, 'auth', false, undefined],
    ['310000', undefined, 'auth', false, undefined],
    ['invalidParameter.userIds.overMax', 400, 'invalid', false, undefined],
    ['param.cardNotExist', 400, 'invalid', false, undefined],
    ['staffId.notExisted', 400, 'invalid', false, undefined],
    ['33012', undefined, 'invalid', false, undefined],
    ['60121', undefined, 'invalid', false, undefined],
    ['apiPermissionDenied', 400, 'permission', false, undefined],
    ['Forbidden.AccessDenied.AccessTokenPermissionDenied', 403, 'permission', false, undefined],
    ['60011', undefined, 'permission', false, undefined],
  ] as const)('%s (HTTP %s) → %s, retryable %s', (code, status, kind, retryable, retryAfterMs) => {
    const rule = ruleFor(code, status);
    expect(rule.kind).toBe(kind);
    expect(rule.retryable).toBe(retryable);
    expect(rule.retryAfterMs).toBe(retryAfterMs);
  });

  it('marks only token problems as tokenRejected', () => {
    const rejected = Object.entries(ERROR_TABLE)
      .filter(([, r]) => r.tokenRejected)
      .map(([c]) => c)
      .sort();
    expect(rejected).toEqual([
      '40000',
      '40001',
      '40014',
      '41001',
      '42001',
      'AuthenticationFailed.MissingParameter',
      'InvalidAuthentication',
    ]);
  });

  it('classifies by code, never by message text', () => {
    const a = DingTalkApiError.fromApi('robot.batchSend', 400, {
      code: 'staffId.notExisted',
      message: '请稍后重试 system busy',
    });
    expect(a.kind).toBe('invalid');
    expect(a.retryable).toBe(false);
  });

  it('reads the new-API body and keeps DingTalk fields verbatim', () => {
    const e = DingTalkApiError.fromApi('robot.batchSend', 403, {
      code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
      message: '调用频率超限',
      requestid: 'R1',
    });
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({
      api: 'robot.batchSend',
      httpStatus: 403,
      dingCode: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
      requestId: 'R1',
    });
    expect(e).toMatchObject({
      kind: 'quota',
      retryable: true,
      retryAfterMs: 1000,
      code: 'DINGTALK_QUOTA',
      permanent: false,
    });
    expect(e.message).toContain('钉钉接口 robot.batchSend 调用失败');
  });

  it('looks through errcode 88 to the sub_code', () => {
    const e = DingTalkApiError.fromOapi('user.get', 200, {
      errcode: 88,
      sub_code: '40014',
      sub_msg: '不合法的access_token',
      errmsg: 'ding talk error[subcode=40014,submsg=不合法的access_token]',
    });
    expect(e).toMatchObject({
      dingCode: '88',
      dingSubCode: '40014',
      kind: 'auth',
      tokenRejected: true,
      retryable: true,
    });
  });

  it('maps old-API errcodes', () => {
    expect(
      DingTalkApiError.fromOapi('user.getByMobile', 200, { errcode: 60121, errmsg: '找不到该用户' }),
    ).toMatchObject({ dingCode: '60121', kind: 'invalid', permanent: true });
    expect(DingTalkApiError.fromOapi('workNotice.send', 200, { errcode: 90018, errmsg: 'x' })).toMatchObject({
      kind: 'quota',
      retryAfterMs: 1000,
    });
    expect(DingTalkApiError.fromOapi('workNotice.send', 502, 'Bad Gateway')).toMatchObject({
      kind: 'server',
      retryable: true,
    });
  });

  it('converts Tea SDK errors, socket errors and non-JSON error pages', () => {
    const tea = Object.assign(new Error('InvalidAuthentication: code: 400, 不合法的access_token request id: R'), {
      code: 'InvalidAuthentication',
      statusCode: 400,
      data: { code: 'InvalidAuthentication', message: '不合法的access_token', requestid: 'R', statusCode: 400 },
    });
    expect(toDingTalkApiError('card.update', tea)).toMatchObject({
      kind: 'auth',
      tokenRejected: true,
      httpStatus: 400,
      requestId: 'R',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toDingTalkApiError('card.update', refused)).toMatchObject({
      kind: 'network',
      retryable: true,
      httpStatus: undefined,
    });
    expect(toDingTalkApiError('card.update', new SyntaxError('Unexpected token <'))).toMatchObject({
      kind: 'server',
      retryable: true,
    });
  });

  it('exposes the permanent flag for the queue', () => {
    expect(
      isPermanentDingTalkError(DingTalkApiError.fromApi('ding.send', 400, { code: 'invalidParameter.param.invalid' })),
    ).toBe(true);
    expect(isPermanentDingTalkError(DingTalkApiError.fromApi('ding.send', 500, { code: 'system.error' }))).toBe(false);
    expect(isPermanentDingTalkError(new Error('x'))).toBe(false);
  });
});
