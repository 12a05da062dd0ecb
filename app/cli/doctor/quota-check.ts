// doctor's quota line (#19 item 2): what the running service learned about DingTalk's quotas
// (shared in Redis by every process) and this month's metered calls against
// DINGTALK_MONTHLY_CALLS: ✗ from 80 % of the budget.
import type Redis from 'ioredis';
import { readAppQuotaState } from '../../../bot/clients/monthly-calls';
import type { Config } from '../../../core/config';
import type { CheckResult } from './types';

/** The line's title. */
export const QUOTA_CHECK_TITLE = '钉钉接口限流与本月调用量';

/** Reads the learned rates and the month's calls under the service's key prefix (`<QUEUE_PREFIX>:`). */
export async function quotaCheck(redis: Redis, basePrefix: string, dt: Config['dingtalk']): Promise<CheckResult> {
  const s = await readAppQuotaState(redis, basePrefix, dt);
  const rates = s.learned.map(
    (l) =>
      `${l.api} 已降至 ${l.rate.toFixed(1)} 次/秒（上限 ${l.ceiling} 次/秒）` +
      (l.pausedUntil ? `，暂停至 ${l.pausedUntil.toISOString()}` : ''),
  );
  const month =
    `本月（${s.month}）计量调用 ${s.metered} 次` +
    (s.budget !== undefined
      ? `，DINGTALK_MONTHLY_CALLS=${s.budget}（${Math.round((100 * s.metered) / s.budget)}%）`
      : '');
  const detail = [rates.length > 0 ? `钉钉限流：${rates.join('；')}` : '各接口按配置速率调用，未遇钉钉限流', month];
  return s.warning
    ? {
        ok: false,
        detail: detail.join('；'),
        advice:
          '本月调用量已超过额度的 80%：升级钉钉版本或联系钉钉提高额度；超额后接口返回 ApiCountLimitForOrg / 90020，通知将发送失败',
      }
    : { ok: true, detail: detail.join('；') };
}
