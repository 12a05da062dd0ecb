// The two liquid engines: one for DingTalk markdown (every output escaped by escapeMarkdown) and
// one for plain text (titles, button titles, DING text: one line per value, no markup meaning).
// Filters whose output is built by us and cannot carry markup are registered `raw` so dates do
// not come out as 2025年7月30日 with escaped punctuation.
import { Liquid, type Template } from 'liquidjs';
import { escapeMarkdown, escapePlain, safeUrl, toText } from './escape';
import { formatDate, formatDateTime, formatNumber, formatPercent, formatShortDateTime } from './format';

function createEngine(escape: (v: unknown) => string): Liquid {
  const engine = new Liquid({
    outputEscape: escape,
    strictVariables: true,
    lenientIf: true,
    strictFilters: true,
    ownPropertyOnly: true,
    jsTruthy: true,
    // {%- -%} style trimming is explicit in sources; keep layout newlines as written.
    greedy: false,
  });
  engine.registerFilter('cn_date', { handler: (v: unknown) => formatDate(v), raw: true });
  engine.registerFilter('cn_datetime', { handler: (v: unknown) => formatDateTime(v), raw: true });
  engine.registerFilter('cn_short', { handler: (v: unknown) => formatShortDateTime(v), raw: true });
  // Link targets: only http(s) and dingtalk://, with ( ) < > [ ] percent-encoded.
  engine.registerFilter('url', { handler: (v: unknown) => safeUrl(v), raw: true });
  // Numbers are formatted, then still escaped (a '.' can start an ordered list in markdown).
  engine.registerFilter('num', (v: unknown, digits?: number) => formatNumber(v, digits ?? 2));
  engine.registerFilter('pct', (v: unknown, digits?: number) => formatPercent(v, digits ?? 1));
  engine.registerFilter('text', (v: unknown) => toText(v));
  return engine;
}

/** Engine for markdown sources. */
export const markdownEngine = createEngine(escapeMarkdown);
/** Engine for plain-text sources. */
export const plainEngine = createEngine(escapePlain);

/** A parsed liquid source bound to its engine. */
export interface CompiledSource {
  /** Renders; `lenient` prints absent variables as '' instead of throwing (optional button links). */
  render(scope: Record<string, unknown>, lenient?: boolean): string;
}

/** Parses a liquid source once; throws the liquid parse error on bad syntax. */
export function compile(engine: Liquid, source: string): CompiledSource {
  const tpl: Template[] = engine.parse(source);
  return {
    render: (scope, lenient) => String(engine.renderSync(tpl, scope, lenient ? { strictVariables: false } : undefined)),
  };
}

/** Tidies rendered markdown: no trailing spaces, at most one blank line in a row, no edge blank lines. */
export function tidyMarkdown(s: string): string {
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
