// The robot interactive card 普通版 (`cardTemplateId: "StandardCard"`): the whole card is JSON in
// `cardData` (a string), in the form of DingTalk's card builder that the official Python stream
// SDK sends (open-dingtalk/dingtalk-stream-sdk-python dingtalk_stream/interactive_card.py):
// `config`, `header.title {type:"text", text}`, `contents[]` of markdown / text / divider / image /
// imageList / section / action components, each with an `id`; buttons `{type:"button",
// label:{type:"text",text,id}, actionType:"openLink"|"request", url:{all}, status, id}`.
// Checked as strictly as template cards: an unknown component, a button without an id or a card
// over the size limit is refused. DingTalk's own error codes for these are not published
// (UNCONFIRMED): the refusals use the generic `param.invalid`.
import { ApiError } from '../http/errors';

/** Template id of the 普通版 card. */
export const STANDARD_CARD = 'StandardCard';

/** Largest cardData accepted (no published figure, UNCONFIRMED: the robot msgParam's 15,000 B). */
export const STANDARD_CARD_MAX_BYTES = 15_000;

/** A button of an action component. */
export interface StandardCardButton {
  type: 'button';
  label: { type: 'text'; text: string; id?: string };
  actionType: 'openLink' | 'request';
  url?: { all?: string };
  status?: string;
  id: string;
}

/** The parsed card JSON. */
export interface StandardCardJson {
  config?: Record<string, unknown>;
  header: { title: { type: 'text'; text: string }; logo?: string };
  contents: Array<Record<string, unknown> & { type: string; id: string }>;
}

const CONTENT_TYPES = new Set(['markdown', 'text', 'divider', 'image', 'imageList', 'section', 'action']);
const BUTTON_STATUS = new Set(['primary', 'normal', 'warning']);

function bad(message: string): ApiError {
  return new ApiError(400, 'param.invalid', `cardData 不合法：${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, where: string): string {
  if (!isObject(v) || v['type'] !== 'text' || typeof v['text'] !== 'string')
    throw bad(`${where} 须为 {type:"text", text}`);
  return v['text'];
}

function checkButton(b: unknown, where: string, ids: Set<string>): void {
  if (!isObject(b) || b['type'] !== 'button') throw bad(`${where} 不是按钮`);
  if (typeof b['id'] !== 'string' || b['id'] === '') throw bad(`${where} 缺少 id`);
  if (ids.has(b['id'])) throw bad(`${where} 的 id ${b['id']} 重复`);
  ids.add(b['id']);
  text(b['label'], `${where}.label`);
  if (b['status'] !== undefined && !BUTTON_STATUS.has(String(b['status'])))
    throw bad(`${where}.status 只能是 primary、normal、warning`);
  if (b['actionType'] === 'openLink') {
    const url = isObject(b['url']) ? b['url']['all'] : undefined;
    if (typeof url !== 'string' || !/^(https?|dingtalk):\/\//.test(url)) throw bad(`${where}.url.all 须为链接`);
  } else if (b['actionType'] !== 'request') {
    throw bad(`${where}.actionType 只能是 openLink 或 request`);
  }
}

/** Parses and checks `cardData`; throws ApiError (400) naming what is wrong. */
export function parseStandardCard(raw: unknown): StandardCardJson {
  if (typeof raw !== 'string' || raw === '') throw new ApiError(400, 'param.invalid', 'cardData 不能为空');
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > STANDARD_CARD_MAX_BYTES) throw bad(`${bytes} 字节，超过上限 ${STANDARD_CARD_MAX_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw bad('不是 JSON 字符串');
  }
  if (!isObject(json)) throw bad('须为对象');
  for (const k of Object.keys(json)) if (!['config', 'header', 'contents'].includes(k)) throw bad(`未知字段 ${k}`);
  if (!isObject(json['header'])) throw bad('缺少 header');
  text(json['header']['title'], 'header.title');
  const contents = json['contents'];
  if (!Array.isArray(contents) || contents.length === 0) throw bad('contents 不能为空');
  const ids = new Set<string>();
  contents.forEach((c, i) => {
    const where = `contents[${i}]`;
    if (!isObject(c) || typeof c['type'] !== 'string') throw bad(`${where} 缺少 type`);
    if (!CONTENT_TYPES.has(c['type'])) throw bad(`${where} 的类型 ${c['type']} 不受支持`);
    if (typeof c['id'] !== 'string' || c['id'] === '') throw bad(`${where} 缺少 id`);
    if (ids.has(c['id'])) throw bad(`${where} 的 id ${c['id']} 重复`);
    ids.add(c['id']);
    if ((c['type'] === 'markdown' || c['type'] === 'text') && typeof c['text'] !== 'string')
      throw bad(`${where}.text 须为字符串`);
    if (c['type'] === 'section') {
      const list = isObject(c['fields']) ? c['fields']['list'] : undefined;
      if (!Array.isArray(list)) throw bad(`${where}.fields.list 须为数组`);
      list.forEach((f, j) => text(f, `${where}.fields.list[${j}]`));
    }
    if (c['type'] === 'action') {
      const actions = c['actions'];
      if (!Array.isArray(actions) || actions.length === 0) throw bad(`${where}.actions 不能为空`);
      actions.forEach((b, j) => checkButton(b, `${where}.actions[${j}]`, ids));
    }
  });
  return json as unknown as StandardCardJson;
}

/** The request button of a card with this id, if any. */
export function findRequestButton(card: StandardCardJson, id: string): StandardCardButton | undefined {
  for (const c of card.contents) {
    if (c.type !== 'action') continue;
    for (const b of c['actions'] as StandardCardButton[]) if (b.id === id && b.actionType === 'request') return b;
  }
  return undefined;
}
