// Robot message templates (msgKey -> msgParam fields), §3. No `sampleActionCard1` exists.

/** msgKey -> fields that must be present (strings) in msgParam. */
export const MSG_KEYS: Record<string, string[]> = {
  sampleText: ['content'],
  sampleMarkdown: ['title', 'text'],
  sampleImageMsg: ['photoURL'],
  sampleLink: ['text', 'title', 'messageUrl'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
  sampleActionCard2: ['title', 'text', 'actionTitle1', 'actionURL1', 'actionTitle2', 'actionURL2'],
  sampleActionCard3: [
    'title',
    'text',
    'actionTitle1',
    'actionURL1',
    'actionTitle2',
    'actionURL2',
    'actionTitle3',
    'actionURL3',
  ],
  sampleActionCard4: [
    'title',
    'text',
    'actionTitle1',
    'actionURL1',
    'actionTitle2',
    'actionURL2',
    'actionTitle3',
    'actionURL3',
    'actionTitle4',
    'actionURL4',
  ],
  sampleActionCard5: [
    'title',
    'text',
    'actionTitle1',
    'actionURL1',
    'actionTitle2',
    'actionURL2',
    'actionTitle3',
    'actionURL3',
    'actionTitle4',
    'actionURL4',
    'actionTitle5',
    'actionURL5',
  ],
  sampleActionCard6: ['title', 'text', 'buttonTitle1', 'buttonUrl1', 'buttonTitle2', 'buttonUrl2'],
  sampleAudio: ['mediaId', 'duration'],
  sampleFile: ['mediaId', 'fileName', 'fileType'],
  sampleVideo: ['duration', 'videoMediaId', 'videoType'],
};

/** Fields holding a link (singleURL, actionURL1…5, buttonUrl1…2, messageUrl, picUrl, photoURL). */
const URL_FIELD = /(URL|Url)\d?$/;
/** What a link may be: a web address, or a DingTalk client link (dingtalk://dingtalkclient/…). */
const LINK = /^(https?:\/\/\S+|dingtalk:\/\/\S+)$/i;

/** Result of checking a msgKey/msgParam pair: the parsed param or a DingTalk error code. */
export type MsgCheck = { ok: true; param: Record<string, unknown> } | { ok: false; code: string; message: string };

/** Validates msgKey + msgParam (a JSON string) the way robot_1_0 does; `maxBytes` caps msgParam. */
export function checkRobotMessage(msgKey: unknown, msgParam: unknown, maxBytes: number): MsgCheck {
  if (typeof msgKey !== 'string' || msgKey === '') {
    return { ok: false, code: 'invalidParameter.msgKey.empty', message: 'msgKey 不能为空' };
  }
  const fields = MSG_KEYS[msgKey];
  if (!fields) return { ok: false, code: 'invalidParameter.msgKey.invalid', message: `msgKey 不合法: ${msgKey}` };
  if (typeof msgParam !== 'string' || msgParam === '') {
    return { ok: false, code: 'invalidParameter.msgParam.invalid', message: 'msgParam 必须是 JSON 字符串' };
  }
  if (Buffer.byteLength(msgParam, 'utf8') > maxBytes) {
    return { ok: false, code: 'invalidParameter.msgParam.tooLong', message: `msgParam 超过 ${maxBytes} 字节` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(msgParam);
  } catch {
    return { ok: false, code: 'invalidParameter.msgParam.invalid', message: 'msgParam 不是合法的 JSON' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, code: 'invalidParameter.msgParam.invalid', message: 'msgParam 必须是 JSON 对象' };
  }
  const param = parsed as Record<string, unknown>;
  const missing = fields.filter((f) => param[f] === undefined || param[f] === null || param[f] === '');
  if (missing.length > 0) {
    return { ok: false, code: 'invalidParameter.msgParam.invalid', message: `msgParam 缺少字段: ${missing.join(',')}` };
  }
  // The documented fields are strings (reference §3, every example quotes them, `duration` too).
  const notText = fields.filter((f) => typeof param[f] !== 'string');
  if (notText.length > 0)
    return {
      ok: false,
      code: 'invalidParameter.msgParam.invalid',
      message: `msgParam 字段须为字符串: ${notText.join(',')}`,
    };
  // A button or link that leads nowhere. What DingTalk answers for one is not published
  // (UNCONFIRMED): the simulator refuses it, so a message whose 「收到」 button cannot open is caught.
  const badUrl = fields.filter((f) => URL_FIELD.test(f) && !LINK.test(param[f] as string));
  if (badUrl.length > 0)
    return {
      ok: false,
      code: 'invalidParameter.msgParam.invalid',
      message: `msgParam 链接须为 http(s) 或 dingtalk:// 地址: ${badUrl.join(',')}`,
    };
  return { ok: true, param };
}
