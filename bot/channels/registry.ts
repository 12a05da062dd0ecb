// Channels by delivery channel name, built once per process from the DingTalk clients.
import { AppError } from '../../core/errors';
import type { Channel } from './channel';

/** Looks channels up by the Delivery.channel value. */
export class ChannelRegistry {
  constructor(private readonly channels: Readonly<Record<string, Channel>>) {}

  get(channel: string): Channel {
    const c = this.channels[channel];
    if (!c) throw new AppError('CHANNEL_UNAVAILABLE', `通知渠道 ${channel} 未启用`, { status: 500 });
    return c;
  }

  maxRecipients(channel: string): number {
    return this.channels[channel]?.maxRecipients ?? 1;
  }

  /** Where recipients that failed with a channel's fallback code go instead, if anywhere. */
  fallbackOf(channel: string): { code: string; channel: string } | undefined {
    return this.channels[channel]?.fallback;
  }
}
