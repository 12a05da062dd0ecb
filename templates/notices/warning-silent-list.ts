// 预警未应答单位清单 (issue #20): the last step of the 叫应 ladder tells the responsible regulators
// which of their key units stayed silent after every call, and the same list goes out at once for
// units no message can reach (no DingTalk identity). Links to the 叫应记录.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { WarningLevel } from '../labels';
import { zUrl, zWarningRef } from '../schemas';

const schema = zWarningRef.extend({
  /** SILENT: called up the whole ladder without an answer; UNREACHABLE: no message could be sent. */
  reason: z.enum(['SILENT', 'UNREACHABLE']),
  /** What was done before telling (e.g. 再次提醒、应用内 DING、短信 DING、电话 DING). */
  calls: z.array(z.string().trim().min(1).max(20)).max(8).default([]),
  /** The units, each with why (at most 30 shown; `total` counts all). */
  units: z
    .array(z.object({ name: z.string().trim().min(1).max(60), note: z.string().trim().max(40).optional() }))
    .min(1)
    .max(30),
  total: z.number().int().min(1),
  recordUrl: zUrl,
});

type Data = z.output<typeof schema>;

/** 预警未应答单位清单 */
export const warningSilentList = defineTemplate({
  kind: 'warning-silent-list',
  title: '雷电预警未应答单位清单',
  schema,
  statutory: true,
  urgency: 'urgent',
  summary: '【{{ levelLabel }}】{{ total }} 家重点单位{{ reasonText }}',
  view: (d: Data) => ({
    ...d,
    levelLabel: WarningLevel.label(d.level),
    reasonText: d.reason === 'SILENT' ? '经叫应仍未应答' : '无法送达',
    more: d.total - d.units.length,
  }),
  actionCard: {
    title: '【{{ levelLabel }}】{{ total }} 家重点单位{{ reasonText }}',
    text: `#### 【{{ levelLabel }}】{{ total }} 家重点单位{{ reasonText }}

{{ issuer }} {{ issuedAt | cn_datetime }} 发布的{{ levelLabel }}（有效期至 {{ validUntil | cn_datetime }}）{% if reason == 'SILENT' %}，以下单位经叫应（{{ calls | join: '、' }}）仍未确认收到{% else %}，以下单位的负责人未绑定钉钉，预警无法送达{% endif %}：

{% for u in units %}{{ forloop.index }}. {{ u.name }}{% if u.note %}（{{ u.note }}）{% endif %}
{% endfor %}{% if more > 0 %}…… 另有 {{ more }} 家，见叫应记录。
{% endif %}
请立即电话联系上述单位，督促落实防雷安全措施。`,
    buttons: [{ title: '查看叫应记录', url: '{{ recordUrl }}' }],
  },
  ding: `【{{ levelLabel }}】{{ total }} 家重点单位{{ reasonText }}：{% for u in units limit: 5 %}{{ u.name }}{% unless forloop.last %}、{% endunless %}{% endfor %}{% if total > 5 %}等{% endif %}。请立即电话督促落实防雷安全措施。叫应记录：{{ recordUrl | url }}`,
  sample: {
    warningId: '33011041600000_20250715143000_0',
    level: 'RED',
    issuer: '杭州市余杭区气象台',
    issuedAt: '2025-07-15T14:30:00+08:00',
    validUntil: '2025-07-15T16:30:00+08:00',
    reason: 'SILENT',
    calls: ['再次提醒', '应用内 DING', '短信 DING', '电话 DING'],
    units: [{ name: '杭州示例石化仓储有限公司', note: '电话 DING 已拨打' }, { name: '余杭示例商场' }],
    total: 2,
    recordUrl: 'https://leiguard.example.gov.cn/m/warnings/33011041600000_20250715143000_0/record',
  },
});
