import { DingTalkApiError } from '../../../bot/clients/errors';
import { learnedQuotaRefusal } from '../../../bot/clients/quota-learning';
import { quotaWindow, waitMs } from '../../../bot/clients/quota-limiter';

describe('quota limiter math', () => {
  it('applies the safety margin without rounding the rate up', () => {
    expect(quotaWindow(20, 0.95)).toEqual({ limit: 19, windowMs: 1000, burst: 1, spanMs: 1000 / 19 });
    expect(quotaWindow(20, 1)).toMatchObject({ limit: 20, windowMs: 1000 });
    expect(quotaWindow(20, 0.9)).toMatchObject({ limit: 18 });
    expect(quotaWindow(40, 0.95)).toMatchObject({ limit: 38 });
    expect(quotaWindow(7, 0.95)).toMatchObject({ limit: 6 }); // 6.65 → 6
  });

  it('uses a longer window for rates below one per second', () => {
    expect(quotaWindow(1, 0.95)).toMatchObject({ limit: 1, windowMs: 1053 });
    expect(quotaWindow(0.5, 1)).toMatchObject({ limit: 1, windowMs: 2000 });
  });

  it('spaces grants by window/limit × burst, capped at the limit', () => {
    expect(quotaWindow(20, 1, 5)).toMatchObject({ burst: 5, spanMs: 250 });
    expect(quotaWindow(20, 1, 50)).toMatchObject({ burst: 20, spanMs: 1000 });
  });

  it('rejects nonsense', () => {
    expect(() => quotaWindow(0)).toThrow(RangeError);
    expect(() => quotaWindow(10, 1.2)).toThrow(RangeError);
    expect(() => quotaWindow(10, 1, 0)).toThrow(RangeError);
  });

  it('turns the script wait (µs) into a sleep of at least 1 ms plus bounded jitter', () => {
    expect(waitMs(1, 0)).toBe(1);
    expect(waitMs(52_632, 0)).toBe(53);
    expect(waitMs(52_632, 3, () => 0.999)).toBe(56);
    expect(waitMs(52_632, 3, () => 0)).toBe(53);
  });
});

describe('which refusals the limiter learns from (#19)', () => {
  const api = (code: string, status = 403) => DingTalkApiError.fromApi('card.update', status, { code, message: 'x' });
  const oapi = (errcode: number) => DingTalkApiError.fromOapi('workNotice.send', 200, { errcode, errmsg: 'x' });

  it('the per-app and global per-API quotas, new and old API; 90002 with its penalty', () => {
    expect(learnedQuotaRefusal(api('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi'))).toEqual({});
    expect(learnedQuotaRefusal(api('Forbidden.AccessDenied.QpsLimitForApi'))).toEqual({});
    expect(learnedQuotaRefusal(oapi(90018))).toEqual({});
    expect(learnedQuotaRefusal(oapi(90002))).toEqual({ pauseMs: 10_000 });
  });

  it('nothing else: other errors fail the call as before', () => {
    expect(learnedQuotaRefusal(api('system.busy', 500))).toBeUndefined();
    expect(learnedQuotaRefusal(api('param.cardNotExist', 400))).toBeUndefined();
    expect(learnedQuotaRefusal(oapi(40035))).toBeUndefined();
    expect(learnedQuotaRefusal(new Error('socket hang up'))).toBeUndefined();
  });
});
