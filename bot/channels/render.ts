// What rendering a notice gives for each delivery channel, so that no caller casts: a shared card
// is a card, a government work notice is a DingTalk work notice, a DING by SMS or phone call
// carries the DING text (the mapping itself is app/wiring/channels.ts's renderer).
import type { CardPayload, ChannelPayloads } from '../../templates';

/** The rendered message of each delivery channel. */
export interface DeliveryPayloads extends ChannelPayloads {
  GOV_WORK_NOTICE: ChannelPayloads['WORK_NOTICE'];
  CARD_SHARED: CardPayload;
  DING_SMS: ChannelPayloads['DING'];
  DING_CALL: ChannelPayloads['DING'];
}

/** A delivery channel a notice can be rendered for. */
export type RenderChannel = keyof DeliveryPayloads;

/** Renders a notice for a delivery channel; throws an AppError on unknown kind or bad data. */
export type Render = <C extends RenderChannel>(template: string, data: unknown, channel: C) => DeliveryPayloads[C];

/** What a click's answer and a refresh read of a rendered card: its public and per-user data. */
export type CardView = Pick<CardPayload, 'cardParamMap' | 'privateData'> & Partial<Pick<CardPayload, 'layout'>>;

/** Renders a card kind's data as a card. */
export type RenderCard = (kind: string, data: unknown, channel: 'CARD') => CardView;
