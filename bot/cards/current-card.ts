// The card as it stands now: one kind's data for one subject, built from the record
// (core/cards/card-data.ts) and rendered as a card. Used by the answer to a click (the clicker's
// card in the ACK, bot/inbound/actions/) and by every refresh (workflows/notify/card-update.job.ts),
// so a card looks the same whichever path brought it.
import { cardDataBuilder } from '../../core/cards/card-data';
import type { Config } from '../../core/config';
import type { PrismaClient } from '../../core/db';
import type { RenderCard } from '../channels/render';

/** What building a card needs. */
export interface CurrentCardDeps {
  prisma: PrismaClient;
  publicBaseUrl: string;
  render: RenderCard;
  /** Needed by the kinds whose data follows settings (interview cards). */
  config?: Config;
}

/** A card now: its public data, and the viewer's own part (who may still press the buttons). */
export interface CardNow {
  /** The layout it is drawn with (templates/cards). */
  layout?: string;
  cardParamMap: Record<string, string>;
  /** The viewer's own data, when a viewer (DingTalk userId) was named and the card has some. */
  own?: Record<string, string>;
}

/** The card of `kind` about `subjectId` as the record stands now, for `viewer` (a DingTalk userId). */
export async function currentCard(
  deps: CurrentCardDeps,
  kind: string,
  subjectId: string,
  viewer?: string,
): Promise<CardNow> {
  const data = await cardDataBuilder(kind)(deps.prisma, subjectId, {
    publicBaseUrl: deps.publicBaseUrl,
    config: deps.config,
  });
  const rendered = deps.render(kind, data, 'CARD');
  const own = viewer ? rendered.privateData?.[viewer]?.cardParamMap : undefined;
  return { layout: rendered.layout, cardParamMap: rendered.cardParamMap, ...(own ? { own } : {}) };
}
