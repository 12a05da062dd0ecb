// The simulator's interactive cards: registered templates and card instances with their history.
import type { CardLayout } from './layout';
import type { StandardCardJson } from './standard-card';

/** A registered card template (卡片平台). */
export interface SimCardTemplate {
  templateId: string;
  layout: CardLayout;
}

/** One place a card was delivered to. */
export interface CardSpace {
  spaceType: 'IM_ROBOT' | 'IM_GROUP';
  /** userId for IM_ROBOT, openConversationId for IM_GROUP. */
  spaceId: string;
}

/** One change to a card, for inspection. */
export interface CardHistoryEntry {
  at: number;
  source: 'create' | 'api' | 'callback';
  cardData?: Record<string, string>;
  privateData?: Record<string, Record<string, string>>;
  /** A 普通版 card's JSON as sent (StandardCard). */
  standard?: StandardCardJson;
  options?: { updateCardDataByKey?: boolean; updatePrivateDataByKey?: boolean };
  userId?: string;
}

/** An interactive card instance, keyed by outTrackId. */
export interface SimCard {
  outTrackId: string;
  appKey: string;
  templateId: string;
  cardData: Record<string, string>;
  privateData: Record<string, Record<string, string>>;
  callbackType?: string;
  callbackRouteKey?: string;
  /** A robot interactive card 普通版 (StandardCard): its JSON and where its request buttons call back. */
  standard?: { data: StandardCardJson; callbackUrl?: string };
  spaces: CardSpace[];
  createdAt: number;
  updatedAt: number;
  version: number;
  history: CardHistoryEntry[];
  /** When the update API last took updates of this card (real time, ms), for the per-card limit. */
  apiUpdates?: number[];
}

/** A registered card callback route (POST /v1.0/card/callbacks/register). */
export interface SimCardCallbackRoute {
  appKey: string;
  callbackRouteKey: string;
  callbackUrl: string;
  apiSecret: string;
}
