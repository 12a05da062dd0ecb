// Start-up self-check of every template and card layout (the caller stops start-up on problems).
import type { Settings } from '../core/config';
import { loadLayouts, CARDS_DIR } from './layout';
import { compileTemplate, parseData, renderParsed, supportedChannels } from './render';
import type { AnyNoticeTemplate, Channel, MessageFormat } from './types';

/** One thing wrong with a template, a layout or the card-template configuration. */
export interface TemplateProblem {
  kind?: string;
  channel?: Channel;
  file?: string;
  message: string;
}

/** Options for tests: another template list or layout folder. */
export interface CheckOptions {
  templates?: AnyNoticeTemplate[];
  cardsDir?: string;
}

/** What the check reads: the templates (index.ts passes the shipped ones by default). */
type CheckInput = CheckOptions & { templates: AnyNoticeTemplate[] };

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Checks that every template compiles, its sample fits its schema and renders on every channel it
 * supports (both message forms where it has both), every card layout parses and lists exactly the
 * variables its params produce, and every DINGTALK_CARD_TEMPLATES entry names a kind with a card.
 */
export function checkTemplateList(
  dingtalk: Pick<Settings<'dingtalk'>, 'cardTemplates'>,
  opts: CheckInput,
): TemplateProblem[] {
  const { templates } = opts;
  const problems: TemplateProblem[] = [];
  const { layouts, problems: layoutProblems } = loadLayouts(opts.cardsDir ?? CARDS_DIR);
  for (const p of layoutProblems) problems.push({ file: p.file, message: `卡片布局有误：${p.message}` });

  const seen = new Set<string>();
  const usedLayouts = new Set<string>();
  for (const t of templates) {
    const kind = t.kind;
    if (seen.has(kind)) problems.push({ kind, message: '通知类型重复' });
    seen.add(kind);
    try {
      compileTemplate(t);
    } catch (err) {
      problems.push({ kind, message: errorText(err) });
      continue;
    }
    let data: unknown;
    try {
      data = parseData(t, t.sample);
    } catch (err) {
      problems.push({ kind, message: `样例数据不符合模板：${errorText(err)}` });
      continue;
    }
    const channels = supportedChannels(t);
    if (channels.length === 0) problems.push({ kind, message: '模板没有任何可用渠道' });
    const formats: Array<MessageFormat | undefined> =
      t.markdown !== undefined && t.actionCard !== undefined ? ['markdown', 'actionCard'] : [undefined];
    for (const channel of channels) {
      for (const format of channel === 'CARD' || channel === 'DING' ? [undefined] : formats) {
        try {
          renderParsed(t, data, channel, { layouts, format, cardTemplates: dingtalk.cardTemplates });
        } catch (err) {
          problems.push({ kind, channel, message: `样例渲染失败${format ? `（${format}）` : ''}：${errorText(err)}` });
        }
      }
    }
    if (t.card) {
      usedLayouts.add(t.card.layout);
      const layout = layouts.get(t.card.layout);
      if (layout) {
        try {
          const keys = new Set(Object.keys(t.card.params(data)));
          for (const p of Object.values(t.card.privateParams?.(data) ?? {})) Object.keys(p).forEach((k) => keys.add(k));
          const declared = new Set(layout.variables);
          const extra = [...keys].filter((k) => !declared.has(k));
          const missing = [...declared].filter((k) => !keys.has(k));
          if (extra.length || missing.length) {
            problems.push({
              kind,
              channel: 'CARD',
              message: `卡片变量与 params 不一致：${missing.length ? `布局有而 params 无 ${missing.join(', ')}` : ''}${
                extra.length ? ` params 有而布局无 ${extra.join(', ')}` : ''
              }`.trim(),
            });
          }
        } catch (err) {
          problems.push({ kind, channel: 'CARD', message: `卡片参数生成失败：${errorText(err)}` });
        }
      } else if (!layoutProblems.some((p) => p.file === `${t.card?.layout}.card.json`)) {
        problems.push({ kind, channel: 'CARD', message: `缺少卡片布局文件 ${t.card.layout}.card.json` });
      }
    }
  }
  for (const name of layouts.keys()) {
    if (!usedLayouts.has(name)) problems.push({ file: `${name}.card.json`, message: '卡片布局没有被任何通知模板使用' });
  }
  for (const [kind, id] of Object.entries(dingtalk.cardTemplates)) {
    const t = templates.find((x) => x.kind === kind);
    if (!t) problems.push({ kind, message: `DINGTALK_CARD_TEMPLATES 中的 ${kind}（${id}）不是已知的通知类型` });
    else if (!t.card) problems.push({ kind, message: `DINGTALK_CARD_TEMPLATES 中的 ${kind} 没有互动卡片形式` });
  }
  return problems;
}
