// What /api/docs says of the warning feed: its fields, its answer, and an example that the route
// accepts as it stands whenever the document is read.

/**
 * A warning as the feed sends it, issued at `now` (to the minute, Beijing time) and valid for two
 * hours, so the example in /api/docs can be sent as it stands. The id follows GB/T 35965.1: the
 * issuer's region and unit code, the issue time, a serial.
 */
export function warningExample(now: Date): Record<string, unknown> {
  const issued = Math.floor(now.getTime() / 60_000) * 60_000;
  // Beijing time is UTC+8 all year (no DST since 1991): "YYYY-MM-DDTHH:mm:ss+08:00".
  const at = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
  return {
    id: `33011041600000_${at(issued).slice(0, 19).replace(/\D/g, '')}_1`,
    level: 'ORANGE',
    regionCodes: ['330110'],
    issuedAt: at(issued),
    expiresAt: at(issued + 2 * 3600_000),
    issuer: '杭州市余杭区气象台',
    text: '余杭区 2 小时内发生雷电活动的可能性很大，请做好防范',
  };
}

export const WARNING_FIELDS =
  '字段：id 预警编号（GB/T 35965.1：发布单位 6 位行政区划代码 + 单位代码 _ 发布时间 yyyyMMddHHmmss _ 序号，' +
  '如 33011041600000_20260715143000_1；同一编号再次发送即为更新）；level 预警级别 YELLOW（黄色）、ORANGE（橙色）、' +
  'RED（红色）；regionCodes 影响区域的 6 位行政区划代码（1 至 12 个；市、省代码覆盖其下各县）；issuedAt、expiresAt ' +
  '带时区的 ISO 8601 时间，有效期须晚于发布时间；issuer 发布单位；text 预警内容；可选 sentAt 本条消息的发出时间' +
  '（早于已生效版本的消息不采用）与 msgType（ALERT 原预警，UPDATE 更新：更新先于原预警到达时按更新发布）。';

export const ANSWER =
  '预警写入即应答（各单位的通知随后分批写入并发出）：新预警 201，更新 200，{ warningId, outcome, message, created, version, ' +
  'units（覆盖的重点单位数）, deliveries（随应答写入的消息数）, statusUrl（实时送达与应答统计，含 fanOut 写入进度）}。重复推送、过期、乱序到达的消息同样记录，' +
  'outcome 与 message 说明如何处理（REPLAYED、STALE、EXPIRED 等），不会重复通知。';
