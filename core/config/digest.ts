// The leaders' daily digest (issue #8).
import { z } from 'zod';
import { cron } from './shapes';
import { setting } from './setting';

/** Digest settings. */
export const digestSettings = {
  /** Daily digest time (cron, Asia/Shanghai); the weekly summary goes out on Mondays with it. */
  cron: setting('DIGEST_CRON', cron.default('0 8 * * *')),
  /**
   * On rest days (weekends and public holidays; 调休 working days count as working days): skip the
   * digest, send the short form, or send as usual.
   */
  onHolidays: setting('DIGEST_ON_HOLIDAYS', z.enum(['skip', 'short', 'send']).default('short')),
  /** Optional leaders' group custom robot (WebhookRobot id) that also receives each digest. */
  groupRobotId: setting('DIGEST_GROUP_ROBOT_ID', z.string().min(1).optional()),
} as const;
