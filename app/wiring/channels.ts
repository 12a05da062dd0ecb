// The delivery channels of this process and how a notice is rendered for each.
import type { DeliveryPayloads, Render, RenderChannel } from '../../bot/channels/render';
import type Redis from 'ioredis';
import { CardChannel } from '../../bot/channels/card.channel';
import { SharedCardChannel } from '../../bot/channels/card-shared.channel';
import { GovWorkNoticeChannel } from '../../bot/channels/gov-work-notice.channel';
import { ChannelRegistry } from '../../bot/channels/registry';
import { standardCardSettings } from '../../bot/channels/standard-card';
import { RobotGroupChannel, RobotOtoChannel } from '../../bot/channels/robot.channel';
import { WebhookChannel } from '../../bot/channels/webhook.channel';
import { DingChannel, WorkNoticeChannel } from '../../bot/channels/work-notice.channel';
import { QuotaLimiter, WebhookRobotClient, type DingTalkCalls } from '../../bot/clients';
import { GovDingTalkClient } from '../../bot/clients/gov/gov-client';
import { RecipientBudget } from '../../bot/clients/recipient-budget';
import type { Config } from '../../core/config';
import { decrypt, type DataKey } from '../../core/crypto';
import type { PrismaClient } from '../../core/db';
import { renderNotice, type Channel as TemplateChannel } from '../../templates';

/** Every channel: DingTalk's, the group robots' webhooks and, when configured, government DingTalk. */
export function buildChannels(parts: {
  config: Config;
  dingtalk: DingTalkCalls;
  redis: Redis;
  keyPrefix: string;
  prisma: PrismaClient;
  dataKey: DataKey;
  publicBaseUrl: string;
}): ChannelRegistry {
  const { config, dingtalk, redis, keyPrefix, prisma, dataKey } = parts;
  const webhookLimiter = new QuotaLimiter({ redis, keyPrefix: `${keyPrefix}webhook:`, qps: 20 / 60 });
  return new ChannelRegistry({
    ROBOT_OTO: new RobotOtoChannel(dingtalk, config.dingtalk.batchMax),
    ROBOT_GROUP: new RobotGroupChannel(dingtalk),
    CARD: new CardChannel(dingtalk, standardCardSettings(config.dingtalk, parts.publicBaseUrl)),
    // Broadcasts (issue #20): many recipients per call, within DingTalk's per-minute cap of work notices.
    CARD_SHARED: new SharedCardChannel(dingtalk, config.dingtalk.cardSpacesPerCall),
    WORK_NOTICE: new WorkNoticeChannel(
      dingtalk,
      new RecipientBudget(
        redis,
        `${keyPrefix}dingtalk:${config.dingtalk.appKey ?? ''}:work-notice-recipients`,
        config.dingtalk.workNoticePerMinute,
      ),
    ),
    DING: new DingChannel(dingtalk, 1),
    DING_SMS: new DingChannel(dingtalk, 2),
    DING_CALL: new DingChannel(dingtalk, 3),
    WEBHOOK: new WebhookChannel(new WebhookRobotClient(), webhookLimiter, async (id) => {
      const r = await prisma.webhookRobot.findUnique({ where: { id } });
      if (!r) return null;
      return {
        url: decrypt(dataKey, r.webhookUrlEnc, 'webhook.url'),
        secret: r.secretEnc ? decrypt(dataKey, r.secretEnc, 'webhook.secret') : undefined,
        keywords: r.keywords,
      };
    }),
    ...govChannels(config, redis, keyPrefix),
  });
}

/**
 * The message form of delivery channels that share another's: government work notifications carry
 * DingTalk's work notice, a shared card is a card, SMS and phone DING carry the DING text.
 */
const TEMPLATE_CHANNEL: Record<string, TemplateChannel> = {
  GOV_WORK_NOTICE: 'WORK_NOTICE',
  CARD_SHARED: 'CARD',
  DING_SMS: 'DING',
  DING_CALL: 'DING',
};

/** Renders a notice for a delivery channel. */
export function channelRenderer(config: Config): Render {
  // The one place a delivery channel meets its template channel; DeliveryPayloads states the pairing.
  return <C extends RenderChannel>(template: string, data: unknown, channel: C) =>
    renderNotice(template, data, (TEMPLATE_CHANNEL[channel] ?? channel) as TemplateChannel, {
      cardTemplates: config.dingtalk.cardTemplates,
      // Without a tenant template a card is a 普通版 card (StandardCard); a shared broadcast card
      // (one instance, many chats, private data per recipient) has no 普通版 form and keeps its
      // layout's template (docs/cards.md).
      standardCards: channel !== 'CARD_SHARED',
      // Group robots merge bursts into one markdown message.
      format: channel === 'WEBHOOK' ? 'markdown' : undefined,
    }) as DeliveryPayloads[C];
}

/** The government DingTalk channel, when its gateway is configured. */
function govChannels(config: Config, redis: Redis, keyPrefix: string): Record<string, GovWorkNoticeChannel> {
  const { baseUrl, appKey, appSecret, tenantId } = config.gov;
  if (!baseUrl || !appKey || !appSecret || !tenantId) return {};
  const client = new GovDingTalkClient({
    baseUrl,
    appKey,
    appSecret,
    tenantId,
    version: config.gov.signVersion,
    ip: config.gov.clientIp,
    mac: config.gov.clientMac,
    tokenPath: config.gov.tokenPath,
    workNotificationPath: config.gov.workNotificationPath,
    tokenParam: config.gov.tokenParam,
    limiter: new QuotaLimiter({ redis, keyPrefix: `${keyPrefix}gov:${appKey}:`, qps: config.dingtalk.qps }),
  });
  return { GOV_WORK_NOTICE: new GovWorkNoticeChannel(client, config.gov.batchMax) };
}
