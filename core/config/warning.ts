// Lightning warnings (issues #8, #20): the feed's credentials, the first line per level and the 叫应
// ladder for units that stay silent.
import { z } from 'zod';
import { DEFAULT_LADDERS, parseLadder, type Ladders } from '../warning/ladder';
import { FIRST_LINE_CHANNELS, DEFAULT_FIRST_LINE, SHARED_CARD_FALLBACKS, type FirstLines } from '../warning/first-line';
import { json, secret } from './shapes';
import { setting } from './setting';

const LEVELS = ['RED', 'ORANGE', 'YELLOW'] as const;

/** `{"RED":"WORK_NOTICE,CARD_SHARED",…}`: each level's first-line channels, in order of use. */
const firstLines = json(
  z.partialRecord(z.enum(LEVELS), z.string()).transform((m, ctx): FirstLines => {
    const out = { ...DEFAULT_FIRST_LINE } as FirstLines;
    for (const [level, text] of Object.entries(m) as Array<[keyof FirstLines, string]>) {
      const list = text.split(',').map((s) => s.trim());
      const bad = list.filter((c) => !(FIRST_LINE_CHANNELS as readonly string[]).includes(c));
      if (list.length === 0 || bad.length > 0 || new Set(list).size !== list.length) {
        ctx.addIssue({
          code: 'custom',
          message: `${String(level)} 的渠道应为 ${FIRST_LINE_CHANNELS.join('、')} 中不重复的几个`,
        });
        return z.NEVER;
      }
      // Only work notices have a room (their minute's budget); any other channel takes every unit
      // left (core/warning/first-line.ts assignChannels), so a channel after it would never be used.
      const taker = list.findIndex((c) => c !== 'WORK_NOTICE');
      if (taker >= 0 && taker < list.length - 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            `${String(level)} 的渠道 ${list.slice(taker + 1).join('、')} 不会被使用：${list[taker]} 会接收其余全部单位，` +
            '只有 WORK_NOTICE（每分钟名额用完后）才会交给下一个渠道；没有共享卡片模板时的替代渠道请用 WARNING_SHARED_CARD_FALLBACK',
        });
        return z.NEVER;
      }
      out[level] = list as FirstLines[keyof FirstLines];
    }
    return out;
  }),
  '{}',
  '必须是 JSON 对象，如 {"RED":"WORK_NOTICE,CARD_SHARED"}（渠道：WORK_NOTICE、CARD_SHARED、CARD、DING、ROBOT_OTO）',
);

/** `{"RED":"remind@10m,ding@20m,…",…}`: each level's 叫应 ladder (core/warning/ladder.ts). */
const ladders = json(
  z.partialRecord(z.enum(LEVELS), z.string()).transform((m, ctx): Ladders => {
    const out = {} as Ladders;
    for (const level of LEVELS) {
      try {
        out[level] = parseLadder(m[level] ?? DEFAULT_LADDERS[level]);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `${level}：${(err as Error).message}` });
        return z.NEVER;
      }
    }
    return out;
  }),
  '{}',
  '必须是 JSON 对象，如 {"RED":"remind@10m,ding@20m,sms@30m,call@40m,regulator@50m"}',
);

/** Lightning-warning settings (thresholds UNCONFIRMED: configurable). */
export const warningSettings = {
  /** Bearer token for POST /api/warnings (the 气象台 feed); unset disables the token form. */
  apiToken: setting('WARNING_API_TOKEN', secret(16).optional()),
  /** HMAC-SHA256 secret for POST /api/warnings/webhook (header x-leiguard-signature); unset disables it. */
  webhookSecret: setting('WARNING_WEBHOOK_SECRET', secret(16).optional()),
  /**
   * First-line channels per level, in order of use: WORK_NOTICE takes units while DingTalk's
   * per-minute budget of work-notice recipients lasts, the last channel takes the rest
   * (docs/warning-broadcast.md; default WORK_NOTICE,CARD_SHARED for every level).
   */
  firstLine: setting('WARNING_FIRST_LINE', firstLines),
  /**
   * What takes CARD_SHARED's place while DINGTALK_CARD_TEMPLATES has no `lightning-warning`
   * template (a shared card cannot go out without one): ROBOT_OTO, robot 1:1 messages with a
   * 「收到」 button, 20 people a call (default), or WORK_NOTICE, work notices in the next minutes.
   */
  sharedCardFallback: setting('WARNING_SHARED_CARD_FALLBACK', z.enum(SHARED_CARD_FALLBACKS).default('ROBOT_OTO')),
  /** The 叫应 ladder per level; levels not given keep the default (core/warning/ladder.ts). */
  ladder: setting('WARNING_LADDER', ladders),
} as const;
