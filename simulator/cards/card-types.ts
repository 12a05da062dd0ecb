// The simulator's interactive cards: registered templates and card instances with their history.
import type { CardLayout } from './layout';

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
  spaces: CardSpace[];
  createdAt: number;
  updatedAt: number;
  version: number;
  history: CardHistoryEntry[];
  /** When the update API last took updates of this card (real time, ms), for the per-card limit. */
  apiUpdates?: number[];
}
