// Escaping of data values placed into DingTalk texts. DingTalk markdown is a CommonMark subset plus
// a little HTML (<font color>), so a unit name like `[点我](http://evil)` or `# 标题` would become a
// link or a heading if pasted raw. Every liquid output in a markdown source goes through
// escapeMarkdown (liquid `outputEscape`); plain-text sources go through escapePlain.

/**
 * Characters that form inline markdown anywhere: code, emphasis, links and images (brackets: a
 * lone parenthesis cannot make a link), HTML, tables, strikethrough. Escaping only these keeps
 * ordinary text like 18.6 Ω or 3#罐 readable on renderers that show backslashes literally.
 */
const MD_INLINE_SPECIALS = /[\\`*_[\]|<>~]/g;
/** Block syntax, which can only start a line: values are collapsed to one line, so only at their start. */
const MD_BLOCK_START = /^(#{1,6}|[-+])(?=\s|$)/;
/** An ordered-list start (`1.` / `1)`): CommonMark escapes its delimiter. */
const MD_ORDERED_START = /^(\d+)([.)])(?=\s|$)/;
/** Line breaks and other separators that could start a new markdown block. */
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029\t\v\f]+/g;
/** C0/C1 control characters and zero-width/bidi characters that only confuse a reader. */
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Turns any liquid value into display text (arrays joined with 、). */
export function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(toText).filter(Boolean).join('、');
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v === 'object') return '';
  return String(v);
}

/** Collapses newlines and runs of spaces into one space and drops control characters. */
export function collapseInline(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(CONTROLS, '').replace(/ {2,}/g, ' ').trim();
}

/** Escapes a value for inline use in DingTalk markdown: no links, emphasis, headings, HTML or new blocks. */
export function escapeMarkdown(v: unknown): string {
  return collapseInline(toText(v))
    .replace(MD_INLINE_SPECIALS, '\\$&')
    .replace(MD_BLOCK_START, (m) => `\\${m}`)
    .replace(MD_ORDERED_START, '$1\\$2');
}

/** Escapes a value for plain text (titles, DING text, button titles): one line, no control characters. */
export function escapePlain(v: unknown): string {
  return collapseInline(toText(v));
}

/** Length of a string in UTF-8 bytes (DingTalk's limits are in bytes). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes on a character boundary, ending with … when cut. */
export function clipBytes(s: string, maxBytes: number): string {
  if (byteLength(s) <= maxBytes) return s;
  const budget = maxBytes - byteLength('…');
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = byteLength(ch);
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return `${out}…`;
}

/** Allowed link schemes: web pages and DingTalk's in-client link opener. */
const SAFE_URL = /^(https?:\/\/|dingtalk:\/\/)[^\s]+$/i;

/**
 * Checks a URL for a link target and percent-encodes the characters that could close a markdown
 * link `( ) < > [ ]` or a quote. Returns '' for anything that is not http(s) or dingtalk://.
 */
export function safeUrl(v: unknown): string {
  const s = toText(v).trim();
  if (!SAFE_URL.test(s)) return '';
  return s.replace(/[()<>[\]"'`\\|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
