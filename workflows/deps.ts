// What job handlers may use. Built once per process by app/ and handed to the worker wrapper.
import type { ChannelRegistry } from '../bot/channels/registry';
import type { Render } from '../bot/channels/render';
import type { DingTalkCalls } from '../bot/clients';
import type { Config } from '../core/config';
import type { PrismaClient } from '../core/db';
import type { DatabaseAvailability } from '../core/db/availability';
import type { Logger } from '../core/logger';
import type { CallbackLoad } from './approval/callback-load';
import type { JobQueues } from './job-queues';
import type { TimerKinds } from './timers/registry';

/** Delivery metrics (prom-client lives in core/metrics; this keeps workflows decoupled from it). */
export interface NotifyMetrics {
  /** `n` deliveries reached a status; for sent ones, seconds from outbox row to DingTalk's answer. */
  delivered(channel: string, status: string, n: number, latenciesSeconds?: number[]): void;
}

/** Dependencies of every job handler. */
export interface WorkflowDeps {
  prisma: PrismaClient;
  config: Config;
  logger: Logger;
  queues: JobQueues;
  channels: ChannelRegistry;
  /** Renders a notice for a channel (templates/), typed by the channel. */
  render: Render;
  metrics?: NotifyMetrics;
  /** The DingTalk client, for calls that are not deliveries (card updates, read status). */
  dingtalk: DingTalkCalls;
  /** Base URL of the mini-app, for links in notices. */
  publicBaseUrl: string;
  /** Card callback load (approval.click jobs give way to busy callbacks); absent: never wait. */
  callbackLoad?: CallbackLoad;
  /** The timer kinds this process fires (workflows/timers/kinds.ts). */
  timerKinds: TimerKinds;
  /** Whether the database answers (jobs wait for it instead of failing); absent: errors are plain failures. */
  database?: DatabaseAvailability;
}
