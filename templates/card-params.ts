// Helpers for building cardParamMap values: strings only, at most 1 KB each (reference §4).
// Values shown in `markdown` blocks must be escaped (md); header/fields/note are plain text (plain).
import { clipBytes, escapeMarkdown, escapePlain, safeUrl } from './escape';
import { LIMITS_CARD_VALUE } from './limits';

/** Plain-text card value (header, fields, note). */
export function plain(v: unknown): string {
  return clipBytes(escapePlain(v), LIMITS_CARD_VALUE);
}

/** Markdown card value built from data: escaped, one line. */
export function md(v: unknown): string {
  return clipBytes(escapeMarkdown(v), LIMITS_CARD_VALUE);
}

/** Markdown bullet list from data items (each escaped). */
export function mdList(items: readonly unknown[], ordered = false): string {
  const lines = items.map((it, i) => `${ordered ? `${i + 1}. ` : '- '}${escapeMarkdown(it)}`);
  return clipBytes(lines.join('\n'), LIMITS_CARD_VALUE);
}

/** Link target for a url button or image; '' when missing or not http(s)/dingtalk. */
export function link(v: unknown): string {
  return clipBytes(safeUrl(v), LIMITS_CARD_VALUE);
}

/** Card boolean: "true" / "false". */
export function flag(v: boolean): string {
  return v ? 'true' : 'false';
}

/** The header of a card: its state in words first and the state's colour (issue #23). */
export function stateHeader(
  title: string,
  state: { label: string; tone: string } | undefined,
  color: string,
): { title: string; headerColor: string } {
  return state
    ? { title: plain(`【${state.label}】${title}`), headerColor: state.tone }
    : { title: plain(title), headerColor: color };
}
