// 预警叫应 (issue #20): the short messages that follow a lightning warning to units that have not
// answered it: a reminder, a DING (in-app, SMS, phone), and the short notice after the warning was
// updated or lifted. One text for every recipient of a step (so DingTalk's broadcast APIs carry
// many recipients per call); it names the warning first and says what to do. The time of the call
// is in the text: DingTalk drops a work notice whose content a person already got that day.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { WarningLevel } from '../labels';
import { zRegionNames, zTime, zUrl, zWarningRef } from '../schemas';

const CALLS = ['REMINDER', 'DING', 'SMS', 'CALL', 'UPDATE', 'CANCEL'] as const;

const schema = zWarningRef.extend({
  regionNames: zRegionNames,
  /** Which call this is. */
  call: z.enum(CALLS),
  /** When the call is made. */
  at: zTime,
  /** The one-tap 「收到」 page (every call but CANCEL). */
  ackUrl: zUrl.optional(),
  /** UPDATE: the observatory's new text. */
  text: z.string().trim().min(1).max(500).optional(),
});

type Data = z.output<typeof schema>;

const HEADLINE: Record<Data['call'], string> = {
  REMINDER: '尚未确认收到',
  DING: '尚未确认收到',
  SMS: '尚未确认收到',
  CALL: '尚未确认收到',
  UPDATE: '已更新',
  CANCEL: '已解除',
};

/** The message body (without the 「收到」 link the markdown form ends with). */
const BODY = `#### 【{{ levelLabel }}】{{ headline }}

{% if call == 'CANCEL' %}{{ issuer }} {{ issuedAt | cn_datetime }} 发布的{{ levelLabel }}（{{ regionNames | join: '、' }}）已于 {{ at | cn_datetime }} 解除。{% elsif call == 'UPDATE' %}{{ issuer }} {{ issuedAt | cn_datetime }} 发布的{{ levelLabel }}（{{ regionNames | join: '、' }}）已于 {{ at | cn_datetime }} 更新，有效期至 **{{ validUntil | cn_datetime }}**。{% if text %}

> {{ text }}{% endif %}

请按最新内容落实防雷安全措施，并点击「收到」确认。{% else %}{{ issuer }} {{ issuedAt | cn_datetime }} 发布的{{ levelLabel }}（{{ regionNames | join: '、' }}，有效期至 **{{ validUntil | cn_datetime }}**），贵单位截至 {{ at | cn_datetime }} 仍未确认收到。

请立即落实防雷安全措施，并点击「收到」确认。{% endif %}`;

/** 预警叫应 */
export const warningCall = defineTemplate({
  kind: 'warning-call',
  title: '雷电预警叫应',
  schema,
  statutory: true,
  urgency: 'urgent',
  summary: '【{{ levelLabel }}】{{ headline }}',
  view: (d: Data) => ({ ...d, levelLabel: WarningLevel.label(d.level), headline: HEADLINE[d.call] }),
  markdown: `${BODY}{% if ackUrl %}

[收到]({{ ackUrl | url }}){% endif %}`,
  // A robot 1:1 message (the first line's fallback, core/warning/first-line.ts): robot_1_0
  // sampleActionCard {title, text, singleTitle, singleURL} with the 「收到」 button (none once lifted),
  // docs/dingtalk-wire.md §3.
  actionCard: {
    text: BODY,
    buttons: [{ title: '收到', url: "{% if call != 'CANCEL' %}{{ ackUrl | url }}{% endif %}" }],
  },
  oa: {
    head: '雷电预警',
    headColor: 'FFB3261E',
    title: '【{{ levelLabel }}】{{ headline }}',
    form: [
      { key: '影响区域：', value: "{{ regionNames | join: '、' }}" },
      { key: '有效期至：', value: '{{ validUntil | cn_datetime }}' },
      { key: '时间：', value: '{{ at | cn_datetime }}' },
    ],
    content: `{% if call == 'CANCEL' %}{{ issuer }}发布的{{ levelLabel }}已解除。{% elsif call == 'UPDATE' %}{{ issuer }}发布的{{ levelLabel }}已更新，请按最新内容落实防雷安全措施，并打开本消息点击「收到」确认。{% if text %}{{ text }}{% endif %}{% else %}{{ issuer }}发布的{{ levelLabel }}，贵单位仍未确认收到。请立即落实防雷安全措施，并打开本消息点击「收到」确认。{% endif %}`,
    url: '{{ ackUrl | url }}',
    status: '{% if call == "CANCEL" %}已解除{% else %}待确认收到{% endif %}',
    statusColor: 'FFB3261E',
  },
  ding: `【{{ levelLabel }}】{% if call == 'CANCEL' %}{{ issuer }}{{ issuedAt | cn_short }}发布的{{ levelLabel }}已于{{ at | cn_short }}解除。{% elsif call == 'UPDATE' %}{{ issuer }}发布的{{ levelLabel }}已于{{ at | cn_short }}更新，有效期至{{ validUntil | cn_short }}，请按最新内容落实防雷安全措施。{% else %}{{ issuer }}{{ issuedAt | cn_short }}发布{{ levelLabel }}（{{ regionNames | join: '、' }}），贵单位截至{{ at | cn_short }}仍未确认收到，请立即落实防雷安全措施。{% endif %}{% if ackUrl %}确认收到：{{ ackUrl | url }}{% endif %}`,
  sample: {
    warningId: '33011041600000_20250715143000_0',
    level: 'RED',
    issuer: '杭州市余杭区气象台',
    issuedAt: '2025-07-15T14:30:00+08:00',
    validUntil: '2025-07-15T16:30:00+08:00',
    regionNames: ['余杭区'],
    call: 'REMINDER',
    at: '2025-07-15T14:40:00+08:00',
    ackUrl: 'https://leiguard.example.gov.cn/m/warnings/33011041600000_20250715143000_0?from=REMINDER.WORK_NOTICE',
  },
});
