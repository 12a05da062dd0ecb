// Cards that need no template in the tenant (#19 item 1): a card layout (cards/FORMAT.md) with its
// variables filled in, written as DingTalk's robot interactive card 普通版, template id
// `StandardCard`, the whole card as JSON in `cardData`. The JSON is the form DingTalk's official
// Python stream SDK sends (open-dingtalk/dingtalk-stream-sdk-python, dingtalk_stream/chatbot.py
// `reply_card` / `update_card`, samples in dingtalk_stream/interactive_card.py):
//   { config: { autoLayout, enableForward }, header: { title: { type: 'text', text } },
//     contents: [ { type: 'markdown', text, id }, { type: 'divider', id },
//                 { type: 'section', fields: { list: [ { type: 'text', text, id } ] }, id },
//                 { type: 'action', actions: [ { type: 'button', label: { type: 'text', text, id },
//                   actionType: 'openLink' | 'request', url: { all }, status, id } ], id } ] }
// Every component carries an id (the samples all do). A 普通版 card has no input components, so
// what a person types (a reason, a comment, self-check answers) is asked for on the mini-app page
// the button opens. Block visibility (`visibleIf`) is decided here: the JSON holds only what shows.
import { byteLength } from './escape';
import { TemplateTooLargeError } from './errors';
import type { CardButton, CardLayout } from './layout';

/** The template id of DingTalk's robot interactive card 普通版 (chatbot.py `reply_card`). */
export const STANDARD_CARD_TEMPLATE_ID = 'StandardCard';

/**
 * Largest `cardData` LeiGuard sends. DingTalk publishes no limit for the 普通版 card's JSON
 * (UNCONFIRMED); the robot message's 15,000-byte msgParam limit (reference §3) is kept.
 */
export const STANDARD_CARD_DATA_MAX = 15_000;

/** A text component of the card JSON. */
export interface StandardText {
  type: 'text';
  text: string;
  id: string;
}

/** A button of an `action` component. */
export interface StandardButton {
  type: 'button';
  label: StandardText;
  actionType: 'openLink' | 'request';
  url?: { all: string };
  /** primary | normal | warning (interactive_card.py INTERACTIVE_CARD_JSON_SAMPLE_2). */
  status: 'primary' | 'normal' | 'warning';
  id: string;
}

/** One component of `contents`. */
export type StandardContent =
  | { type: 'markdown'; text: string; id: string }
  | { type: 'divider'; id: string }
  | { type: 'section'; fields: { list: StandardText[] }; id: string }
  | { type: 'action'; actions: StandardButton[]; id: string };

/** The card JSON carried, stringified, in `cardData`. */
export interface StandardCardData {
  config: { autoLayout: boolean; enableForward: boolean };
  header: { title: { type: 'text'; text: string } };
  contents: StandardContent[];
}

/** How the callback buttons of a layout become buttons of a 普通版 card. */
export interface StandardCardOptions {
  /**
   * True when the card's clicks can reach LeiGuard (HTTP callback mode with a registered route):
   * callback buttons become `request` buttons. Otherwise each opens its action's mini-app page.
   */
  requests: boolean;
  /** The mini-app page that does an action of this card in one step (signed in by 免登). */
  actionUrl(actionId: string): string;
}

/**
 * Callback actions that need what a person types or picks (a reason, a comment, answers): on a
 * 普通版 card, which has no input components, they always open their mini-app page.
 */
const TYPED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'rectification-verify': ['reject'],
  'approval-task': ['reject'],
  'self-check': ['submit'],
  'interview-summons': ['reschedule'],
  'interview-proposal': ['schedule', 'decline'],
};

/** Whether a callback action of a layout needs typed input (so it opens its page). */
export function needsTypedInput(layoutKind: string, actionId: string): boolean {
  return TYPED_ACTIONS[layoutKind]?.includes(actionId) ?? false;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/**
 * The 普通版 card JSON of a layout for one reader: `params` are the public variables with the
 * reader's private ones laid over them. Throws TemplateTooLargeError over STANDARD_CARD_DATA_MAX.
 */
export function standardCardData(
  layout: CardLayout,
  params: Readonly<Record<string, string>>,
  opts: StandardCardOptions,
): StandardCardData {
  const value = (name: string) => params[name] ?? '';
  const fill = (s: string) => s.replace(PLACEHOLDER, (_m, name: string) => value(name));
  const shows = (visibleIf: string | undefined) => visibleIf === undefined || value(visibleIf) === 'true';
  let n = 0;
  const id = (prefix: string) => `${prefix}_${++n}`;
  let title = '';
  const contents: StandardContent[] = [];
  for (const b of layout.blocks) {
    if (!shows(b.visibleIf)) continue;
    switch (b.type) {
      case 'header':
        title = fill(b.text);
        break;
      case 'fields': {
        const list = b.items
          .map((i) => ({ label: fill(i.label), value: fill(i.value) }))
          .filter((i) => i.value.trim() !== '')
          .map((i): StandardText => ({ type: 'text', text: `${i.label}：${i.value}`, id: id('text') }));
        if (list.length) contents.push({ type: 'section', fields: { list }, id: id('section') });
        break;
      }
      case 'markdown':
        if (fill(b.text).trim()) contents.push({ type: 'markdown', text: fill(b.text), id: id('markdown') });
        break;
      case 'note':
        // Small grey text, as interactive_card.py INTERACTIVE_CARD_JSON_SAMPLE_3 writes it.
        if (fill(b.text).trim())
          contents.push({
            type: 'markdown',
            text: `<font color=common_level3_base_color>${fill(b.text)}</font>`,
            id: id('note'),
          });
        break;
      case 'image':
        // The rich-text module shows images by URL; the `image` component wants a media id.
        if (fill(b.url)) contents.push({ type: 'markdown', text: `![照片](${fill(b.url)})`, id: id('image') });
        break;
      case 'choices':
        if (fill(b.label).trim()) contents.push({ type: 'markdown', text: fill(b.label), id: id('item') });
        break;
      case 'input':
        break;
      case 'actions': {
        const actions = b.buttons
          .filter((btn) => shows(btn.visibleIf))
          .map((btn) => button(layout.kind, btn, fill, opts, id))
          .filter((btn): btn is StandardButton => btn !== undefined);
        if (actions.length) {
          contents.push({ type: 'divider', id: id('divider') });
          contents.push({ type: 'action', actions, id: id('action') });
        }
        break;
      }
    }
  }
  const card: StandardCardData = {
    config: { autoLayout: true, enableForward: false },
    header: { title: { type: 'text', text: title } },
    contents,
  };
  const size = byteLength(JSON.stringify(card));
  if (size > STANDARD_CARD_DATA_MAX)
    throw new TemplateTooLargeError(layout.kind, 'CARD', 'cardData', size, STANDARD_CARD_DATA_MAX);
  return card;
}

function button(
  kind: string,
  btn: CardButton,
  fill: (s: string) => string,
  opts: StandardCardOptions,
  id: (prefix: string) => string,
): StandardButton | undefined {
  const status = btn.style === 'danger' ? 'warning' : btn.style;
  const label: StandardText = { type: 'text', text: btn.text, id: id('text') };
  if (btn.action === 'url') {
    const url = fill(btn.url);
    return url
      ? { type: 'button', label, actionType: 'openLink', url: { all: url }, status, id: id('button') }
      : undefined;
  }
  // A request button's id is its action: the callback names the button clicked (actionIds[0]).
  if (opts.requests && !needsTypedInput(kind, btn.actionId))
    return { type: 'button', label, actionType: 'request', status, id: btn.actionId };
  return {
    type: 'button',
    label,
    actionType: 'openLink',
    url: { all: opts.actionUrl(btn.actionId) },
    status,
    id: id('button'),
  };
}
