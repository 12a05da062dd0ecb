// Rendering of one validated notice for one channel (docs/dingtalk-wire.md): the messaging
// channels take their shape in message-shapes.ts; here the OA work notice, §4 card cardParamMap
// and §6 DING content.
import { compile, markdownEngine, plainEngine, tidyMarkdown, type CompiledSource } from './engine';
import { byteLength, clipBytes } from './escape';
import { TemplateChannelError, TemplateDataError, TemplateDefinitionError, TemplateTooLargeError } from './errors';
import { LIMITS_CARD_VALUE } from './limits';
import { robot, webhook, workNotice, type RenderedMessage } from './message-shapes';
import { zhErrorMap } from './zod-zh';
import { shippedLayouts, type CardLayout } from './layout';
import { STANDARD_CARD_TEMPLATE_ID } from './standard-card';
import type {
  AnyNoticeTemplate,
  CardParams,
  CardPayload,
  Channel,
  ChannelPayloads,
  MessageFormat,
  OaMsg,
  WorkNoticeMsg,
} from './types';

/** DingTalk size limits in UTF-8 bytes. */
export const LIMITS = {
  /** groupMessages/send msgParam (reference §3); used for 1:1 robot messages too. */
  robotMsgParam: 15_000,
  /** asyncsend_v2 `msg` (reference §5). */
  workNoticeMsg: 2048,
  /** Custom robot body: no published figure, keep the robot's. */
  webhookBody: 15_000,
  /** cardParamMap key and value (reference §4). */
  cardKey: 100,
  cardValue: LIMITS_CARD_VALUE,
} as const;

/** Options of one render. */
export interface RenderOptions {
  /** Notice kind → tenant card template id (config DINGTALK_CARD_TEMPLATES). */
  cardTemplates?: Readonly<Record<string, string>>;
  /** For robot / work notice / webhook: force markdown or action card (default: action card if the kind has one). */
  format?: MessageFormat;
  /**
   * A kind without a tenant template renders to the robot interactive card 普通版 (`StandardCard`,
   * standard-card.ts) instead of the layout's default id, which only the simulator knows.
   */
  standardCards?: boolean;
  /** Card layouts by name (tests and checkTemplates); defaults to the shipped ones. */
  layouts?: ReadonlyMap<string, CardLayout>;
}

interface CompiledTemplate {
  summary: CompiledSource;
  markdown?: CompiledSource;
  actionCard?: {
    title: CompiledSource;
    text: CompiledSource;
    buttons: Array<{ title: CompiledSource; url: CompiledSource }>;
  };
  ding?: CompiledSource;
  oa?: {
    head: CompiledSource;
    title: CompiledSource;
    form: Array<{ key: CompiledSource; value: CompiledSource }>;
    content: CompiledSource;
    url: CompiledSource;
    status?: CompiledSource;
  };
}

const compiled = new WeakMap<AnyNoticeTemplate, CompiledTemplate>();

/** Parses a template's liquid sources (once); throws TemplateDefinitionError on a syntax error. */
export function compileTemplate(t: AnyNoticeTemplate): CompiledTemplate {
  const hit = compiled.get(t);
  if (hit) return hit;
  try {
    const c: CompiledTemplate = {
      summary: compile(plainEngine, t.summary ?? t.title),
      markdown: t.markdown === undefined ? undefined : compile(markdownEngine, t.markdown),
      actionCard:
        t.actionCard === undefined
          ? undefined
          : {
              title: compile(plainEngine, t.actionCard.title ?? t.summary ?? t.title),
              text: compile(markdownEngine, t.actionCard.text),
              buttons: t.actionCard.buttons.map((b) => ({
                title: compile(plainEngine, b.title),
                url: compile(plainEngine, b.url),
              })),
            },
      ding: t.ding === undefined ? undefined : compile(plainEngine, t.ding),
      oa:
        t.oa === undefined
          ? undefined
          : {
              head: compile(plainEngine, t.oa.head),
              title: compile(plainEngine, t.oa.title),
              form: (t.oa.form ?? []).map((f) => ({
                key: compile(plainEngine, f.key),
                value: compile(plainEngine, f.value),
              })),
              content: compile(plainEngine, t.oa.content),
              url: compile(plainEngine, t.oa.url),
              status: t.oa.status === undefined ? undefined : compile(plainEngine, t.oa.status),
            },
    };
    compiled.set(t, c);
    return c;
  } catch (err) {
    throw new TemplateDefinitionError(t.kind, `liquid 语法错误：${(err as Error).message}`, err);
  }
}

/** Channels a template can be rendered for. */
export function supportedChannels(t: AnyNoticeTemplate): Channel[] {
  const out: Channel[] = [];
  if (t.markdown !== undefined || t.actionCard !== undefined)
    out.push('ROBOT_OTO', 'ROBOT_GROUP', 'WORK_NOTICE', 'WEBHOOK');
  else if (t.oa !== undefined) out.push('WORK_NOTICE');
  if (t.ding !== undefined) out.push('DING');
  if (t.card !== undefined) out.push('CARD');
  return out;
}

/** Validates data against a template's schema; TemplateDataError names every bad field in Chinese. */
export function parseData(t: AnyNoticeTemplate, data: unknown): unknown {
  const res = t.schema.safeParse(data, { error: zhErrorMap });
  if (res.success) return res.data;
  throw new TemplateDataError(
    t.kind,
    t.title,
    res.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

function scopeOf(t: AnyNoticeTemplate, data: unknown): Record<string, unknown> {
  return t.view ? t.view(data) : (data as Record<string, unknown>);
}

function renderMessage(t: AnyNoticeTemplate, data: unknown, format: MessageFormat | undefined): RenderedMessage {
  const c = compileTemplate(t);
  const scope = scopeOf(t, data);
  const useCard = c.actionCard !== undefined && (format !== 'markdown' || c.markdown === undefined);
  if (useCard && c.actionCard) {
    const buttons = c.actionCard.buttons
      .map((b) => ({ title: b.title.render(scope), url: b.url.render(scope, true) }))
      .filter((b) => b.title !== '' && b.url !== '');
    return { title: c.actionCard.title.render(scope), text: tidyMarkdown(c.actionCard.text.render(scope)), buttons };
  }
  if (!c.markdown) throw new TemplateChannelError(t.kind, 'markdown');
  return { title: c.summary.render(scope), text: tidyMarkdown(c.markdown.render(scope)), buttons: [] };
}

/**
 * An OA work notice. The body text is what gives way when the message would pass DingTalk's
 * 2,048 bytes (the rows and the link must stay whole).
 */
function oaNotice(t: AnyNoticeTemplate, data: unknown): WorkNoticeMsg {
  const c = compileTemplate(t).oa!;
  const spec = t.oa!;
  const scope = scopeOf(t, data);
  const url = c.url.render(scope, true);
  const status = c.status?.render(scope).trim();
  const oa: OaMsg = {
    message_url: url,
    pc_message_url: url,
    head: { bgcolor: spec.headColor, text: c.head.render(scope).trim().slice(0, 10) },
    ...(status ? { status_bar: { status_value: status, status_bg: spec.statusColor } } : {}),
    body: {
      title: c.title.render(scope).trim(),
      form: c.form
        .map((f) => ({ key: f.key.render(scope).trim(), value: f.value.render(scope).trim() }))
        .filter((f) => f.value !== ''),
      content: '',
    },
  };
  const content = c.content.render(scope).trim();
  const room = LIMITS.workNoticeMsg - byteLength(JSON.stringify({ msgtype: 'oa', oa }));
  // JSON escaping can only lengthen what is clipped, so clip on the escaped size.
  oa.body.content = clipBytes(content, Math.max(0, room - (byteLength(JSON.stringify(content)) - byteLength(content))));
  return { msgtype: 'oa', oa };
}

function checkParams(t: AnyNoticeTemplate, layout: CardLayout, params: unknown, who: string): CardParams {
  if (typeof params !== 'object' || params === null) throw new TemplateDefinitionError(t.kind, `${who} 不是对象`);
  const declared = new Set(layout.variables);
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'string')
      throw new TemplateDefinitionError(t.kind, `${who}.${k} 不是字符串（卡片变量只能是字符串）`);
    if (!declared.has(k)) throw new TemplateDefinitionError(t.kind, `${who}.${k} 不是卡片 ${layout.kind} 声明的变量`);
    if (byteLength(k) > LIMITS.cardKey)
      throw new TemplateTooLargeError(t.kind, 'CARD', `变量名 ${k}`, byteLength(k), LIMITS.cardKey);
    if (byteLength(v) > LIMITS.cardValue)
      throw new TemplateTooLargeError(t.kind, 'CARD', `变量 ${k}`, byteLength(v), LIMITS.cardValue);
  }
  return params as CardParams;
}

function card(t: AnyNoticeTemplate, data: unknown, opts: RenderOptions): CardPayload {
  const spec = t.card;
  if (!spec) throw new TemplateChannelError(t.kind, 'CARD');
  const layouts = opts.layouts ?? shippedLayouts().layouts;
  const layout = layouts.get(spec.layout);
  if (!layout) throw new TemplateDefinitionError(t.kind, `找不到卡片布局 ${spec.layout}.card.json 或布局有误`);
  const cardParamMap = checkParams(t, layout, spec.params(data), 'params');
  const missing = layout.variables.filter((v) => !(v in cardParamMap));
  if (missing.length) throw new TemplateDefinitionError(t.kind, `params 缺少卡片变量 ${missing.join(', ')}`);
  const payload: CardPayload = {
    layout: layout.kind,
    templateId: opts.cardTemplates?.[t.kind] ?? (opts.standardCards ? STANDARD_CARD_TEMPLATE_ID : layout.templateId),
    cardParamMap,
  };
  if (spec.privateParams) {
    const priv = spec.privateParams(data);
    const entries = Object.entries(priv).map(
      ([userId, p]) => [userId, { cardParamMap: checkParams(t, layout, p, `privateParams[${userId}]`) }] as const,
    );
    if (entries.length) payload.privateData = Object.fromEntries(entries);
  }
  return payload;
}

function limit(t: AnyNoticeTemplate, channel: Channel, what: string, s: string, max: number): void {
  const n = byteLength(s);
  if (n > max) throw new TemplateTooLargeError(t.kind, channel, what, n, max);
}

/** Renders already-validated data for one channel. */
export function renderParsed<C extends Channel>(
  t: AnyNoticeTemplate,
  data: unknown,
  channel: C,
  opts: RenderOptions = {},
): ChannelPayloads[C] {
  if (!supportedChannels(t).includes(channel)) throw new TemplateChannelError(t.kind, channel);
  let out: ChannelPayloads[Channel];
  switch (channel) {
    case 'ROBOT_OTO':
    case 'ROBOT_GROUP': {
      const p = robot(renderMessage(t, data, opts.format));
      limit(t, channel, 'msgParam', p.msgParam, LIMITS.robotMsgParam);
      out = p;
      break;
    }
    case 'WORK_NOTICE': {
      const msg =
        t.oa !== undefined && (opts.format === undefined || (t.markdown === undefined && t.actionCard === undefined))
          ? oaNotice(t, data)
          : workNotice(renderMessage(t, data, opts.format));
      limit(t, channel, 'msg', JSON.stringify(msg), LIMITS.workNoticeMsg);
      out = msg;
      break;
    }
    case 'WEBHOOK': {
      const body = webhook(renderMessage(t, data, opts.format));
      limit(t, channel, 'body', JSON.stringify(body), LIMITS.webhookBody);
      out = body;
      break;
    }
    case 'DING': {
      const c = compileTemplate(t);
      if (!c.ding) throw new TemplateChannelError(t.kind, channel);
      out = { content: c.ding.render(scopeOf(t, data)).trim() };
      break;
    }
    case 'CARD':
      out = card(t, data, opts);
      break;
    default:
      throw new TemplateChannelError(t.kind, String(channel));
  }
  return out as ChannelPayloads[C];
}
