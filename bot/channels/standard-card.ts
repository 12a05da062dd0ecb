// Cards that need no tenant template (#19 item 1, templates/standard-card.ts): what this process
// knows about how their buttons reach it, and the card JSON of one copy for its reader. DingTalk's
// 普通版 card (im_1_0 SendRobotInteractiveCardRequest) carries no `callbackType`, only a
// `callbackUrl`: it cannot call back over Stream (docs/cards.md). So with an HTTP callback route
// its request buttons call back there; otherwise every action opens the mini-app page that does it.
import { shippedLayouts, standardCardData, STANDARD_CARD_TEMPLATE_ID, TemplateDefinitionError } from '../../templates';

/** Where the buttons of a 普通版 card lead. */
export interface StandardCardSettings {
  /** Base URL of the mini-app (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** The registered card callback URL (DINGTALK_CARD_CALLBACK_URL with its secret), if any. */
  callbackUrl?: string;
}

/**
 * The settings from the configuration: with DINGTALK_CARD_CALLBACK_SECRET (a registered callback
 * route) request buttons call back to DINGTALK_CARD_CALLBACK_URL, by default this service's
 * /dingtalk/card-callback.
 */
export function standardCardSettings(
  dingtalk: { cardCallbackUrl?: string; cardCallbackSecret?: string },
  publicBaseUrl: string,
): StandardCardSettings {
  const { cardCallbackUrl, cardCallbackSecret } = dingtalk;
  if (!cardCallbackSecret) return { publicBaseUrl };
  return { publicBaseUrl, callbackUrl: cardCallbackUrl ?? `${publicBaseUrl}/dingtalk/card-callback` };
}

/** Whether a card (a payload's or a recorded instance's template id) is a 普通版 card. */
export function isStandardCard(templateId: string): boolean {
  return templateId === STANDARD_CARD_TEMPLATE_ID;
}

/** The mini-app page doing one action of one card, signed in by 免登 (miniapp/m/card-actions.route.ts). */
export function cardActionUrl(publicBaseUrl: string, outTrackId: string, actionId: string): string {
  return `${publicBaseUrl}/m/cards/${encodeURIComponent(outTrackId)}/${encodeURIComponent(actionId)}`;
}

/**
 * The `cardData` of one copy of a card: its layout with the variables as its reader sees them
 * (public ones with the reader's own laid over), written as the 普通版 card JSON.
 */
export function standardCardJson(
  settings: StandardCardSettings,
  layoutKind: string,
  params: Readonly<Record<string, string>>,
  outTrackId: string,
): string {
  const layout = shippedLayouts().layouts.get(layoutKind);
  if (!layout) throw new TemplateDefinitionError(layoutKind, `找不到卡片布局 ${layoutKind}.card.json`);
  const data = standardCardData(layout, params, {
    requests: settings.callbackUrl !== undefined,
    actionUrl: (actionId) => cardActionUrl(settings.publicBaseUrl, outTrackId, actionId),
  });
  return JSON.stringify(data);
}
