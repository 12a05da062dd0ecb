// Today's template cards for the tests written before cards that need no authoring (#19): every
// kind with a card mapped to its layout's default template id, which the test simulator registers
// (app/embedded registerCardTemplates). Without DINGTALK_CARD_TEMPLATES, cards are StandardCard.
import { listTemplates, shippedLayouts } from '../../templates';

/** DINGTALK_CARD_TEMPLATES naming every card kind's shipped layout. */
export function layoutCardTemplates(): string {
  const { layouts } = shippedLayouts();
  const ids: Record<string, string> = {};
  for (const t of listTemplates()) {
    const id = t.card ? layouts.get(t.card.layout)?.templateId : undefined;
    if (id) ids[t.kind] = id;
  }
  return JSON.stringify(ids);
}
