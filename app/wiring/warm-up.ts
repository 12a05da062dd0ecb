// Warm-ups before a process takes work, so the first card click or fan-out batch after a start
// does not pay for a cold start.
import { DEFAULT_CARD_CONCURRENCY } from '../../bot/clients';
import type { PrismaClient } from '../../core/db';
import { claim } from '../../core/outbox/claim';
import type { WorkflowDeps } from '../../workflows/deps';

/**
 * Card callbacks must be answered within DingTalk's deadline from the first click after a start:
 * open the database connections they use, then run the handler on clicks of a card that does not
 * exist (accepted by nothing, answered 「该卡片已失效」) until its code and statements are warm.
 */
export async function warmUpCallbacks(prisma: PrismaClient, handle: (raw: unknown) => Promise<unknown>): Promise<void> {
  await Promise.all(Array.from({ length: DEFAULT_CARD_CONCURRENCY }, () => prisma.$queryRaw`SELECT 1`));
  const click = {
    outTrackId: 'warm-up',
    userId: 'warm-up',
    content: JSON.stringify({ cardPrivateData: { actionIds: ['approve'], params: {} } }),
  };
  for (let i = 0; i < 48; i += DEFAULT_CARD_CONCURRENCY) {
    await Promise.all(Array.from({ length: DEFAULT_CARD_CONCURRENCY }, () => handle(click)));
  }
}

/**
 * Before taking jobs: fetch the access token and let Prisma plan the claim query, so the first
 * batch of a fan-out does not pay for a cold start. Best effort: DingTalk being unreachable at
 * start is logged, not fatal (the jobs retry).
 */
export async function warmUpWorker(deps: WorkflowDeps): Promise<void> {
  try {
    await deps.dingtalk.getAccessToken();
  } catch (err) {
    deps.logger.warn({ err }, '启动预热：获取钉钉访问令牌失败，稍后发送时重试');
  }
  await claim(deps.prisma, ['00000000-0000-4000-8000-000000000000'], 'warm-up');
}
