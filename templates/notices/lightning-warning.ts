// 雷电预警信号: forwards a 气象台 lightning warning (yellow / orange / red, 中国气象局令第16号 annex)
// to the key units in the region (issue #20): an interactive card with 「收到」 (one per unit, or one
// shared by many units' chats with each unit's part in private data), an OA work notice opening the
// mini-app's one-tap 「收到」 page (its status bar changed in place on update or cancellation), a DING
// with the same link, and a markdown form for group robots. The regulators' card shows the live
// answer rate and links to the 叫应记录. Answers count in the duty ranking's 预警确认率.
import { z } from 'zod';
import { flag, link, md, mdList, plain, stateHeader } from '../card-params';
import { defineTemplate } from '../define';
import { clipBytes, escapeMarkdown } from '../escape';
import { LIMITS_CARD_VALUE } from '../limits';
import { formatDateTime } from '../format';
import { WarningLevel } from '../labels';
import { zCardStatus, zRegionNames, zUnit, zUrl, zWarningRef } from '../schemas';

type Level = keyof typeof WarningLevel.labels;

/** Signal meanings (中国气象局令第16号 style texts). */
const MEANING: Record<Level, string> = {
  YELLOW: '6 小时内可能发生雷电活动，可能会造成雷电灾害事故。',
  ORANGE: '2 小时内发生雷电活动的可能性很大，或者已经受雷电活动影响，且可能持续，出现雷电灾害事故的可能性比较大。',
  RED: '2 小时内发生雷电活动的可能性非常大，或者已经有强烈的雷电活动发生，且可能持续，出现雷电灾害事故的可能性非常大。',
};

/** Default defence guidance per level (气象灾害预警信号防御指南). */
const ADVICE: Record<Level, string[]> = {
  YELLOW: ['密切关注天气，尽量避免户外活动', '检查防雷装置和电涌保护器（SPD）工作状态', '做好防雷应急准备'],
  ORANGE: [
    '人员留在室内，关好门窗',
    '户外人员躲入有防雷设施的建筑物或汽车内',
    '切断危险电源，不在树下、电杆下、塔吊下避雨',
    '易燃易爆场所暂停装卸、灌装等露天作业',
  ],
  RED: [
    '人员尽量躲入有防雷设施的建筑物或汽车内，并关好门窗',
    '切勿接触天线、水管、铁丝网、金属门窗和建筑物外墙，远离带电设备',
    '易燃易爆场所立即停止露天作业，落实防雷应急预案',
    '密切关注雷电预警信息的发布',
  ],
};

/** Colours: markdown font colour per level; the card header palette (FORMAT.md) has no yellow. */
const FONT: Record<Level, string> = { YELLOW: '#E6B800', ORANGE: '#FF7F00', RED: '#E02020' };
const HEADER: Record<Level, string> = { YELLOW: 'orange', ORANGE: 'orange', RED: 'red' };
/** OA header colour (AARRGGBB): one colour for every level, the level is in the title in words. */
const OA_HEAD = 'FFB3261E';

const schema = zWarningRef.extend({
  regionNames: zRegionNames,
  /** The observatory's own wording of the warning (optional: rows queued before it existed). */
  text: z.string().trim().min(1).max(500).optional(),
  /** The recipient unit, when the notice is addressed to one. */
  unit: zUnit.optional(),
  /** Extra lines for this recipient, e.g. site-specific measures. */
  extraAdvice: z.array(z.string().trim().min(1).max(60)).max(3).default([]),
  links: z
    .object({
      guide: zUrl.optional(),
      /** The mini-app's one-tap 「收到」 page (work notice and DING; signed in by 免登). */
      ack: zUrl.optional(),
      /** The 叫应记录 page (regulators' card). */
      record: zUrl.optional(),
    })
    .default({}),
  status: zCardStatus.optional(),
});

type Data = z.output<typeof schema>;

function advice(d: Pick<Data, 'level' | 'extraAdvice'>): string[] {
  return [...ADVICE[d.level], ...d.extraAdvice];
}

/**
 * The card's meaning block: the observatory's text (clipped to what the 1 KB value leaves), then the signal's meaning.
 */
function meaningParam(d: Data): string {
  const meaning = md(MEANING[d.level]);
  if (!d.text) return meaning;
  const room = LIMITS_CARD_VALUE - Buffer.byteLength(meaning) - Buffer.byteLength('\n\n');
  return `${clipBytes(escapeMarkdown(d.text), room)}\n\n${meaning}`;
}

/** What one recipient's copy of the card shows of their own: their unit, its precautions, its status. */
export interface WarningOwnPart {
  level: Level;
  unit?: { name: string } | undefined;
  extraAdvice: string[];
  status?: Data['status'];
}

/**
 * The card variables that differ between recipients (header, the unit's name, the advice with its
 * category's precautions, the status line and the buttons): the whole card's own part, and on a
 * shared card a recipient's private data, built from these few fields without rendering the card
 * (`privateData {<userId>: {cardParamMap}}`, card_1_0 `PrivateDataValue`, docs/dingtalk-wire.md).
 */
export function lightningWarningOwnParams(d: WarningOwnPart): Record<string, string> {
  return {
    ...stateHeader(`${WarningLevel.label(d.level)}信号`, d.status?.state, HEADER[d.level]),
    levelBadge: `<font color=${FONT[d.level]}>■ **${escapeMarkdown(WarningLevel.label(d.level))}**</font>${
      d.unit ? ` ${md(`致 ${d.unit.name}`)}` : ''
    }`,
    advice: mdList(advice(d), true),
    statusText: plain(d.status?.text ?? ''),
    statusVisible: flag(Boolean(d.status)),
    actionsVisible: flag(d.status ? d.status.actionsVisible : true),
  };
}

/** The markdown body (group robots, and the robot message's action card). */
const MARKDOWN = `### <font color={{ font | raw }}>{{ levelLabel }}</font>

{% if unit %}**{{ unit.name }}**：

{% endif %}{{ issuer }} {{ issuedAt | cn_datetime }} 发布{{ levelLabel }}信号：{{ meaning }}
{% if text %}
> {{ text }}
{% endif %}
- 影响区域：{{ regionNames | join: '、' }}
- 有效期至：**{{ validUntil | cn_datetime }}**

**防御指南**

{% for a in adviceLines %}{{ forloop.index }}. {{ a }}
{% endfor %}{% if links.guide %}
[查看防御指南]({{ links.guide | url }}){% endif %}`;

/** 雷电预警信号通知 */
export const lightningWarning = defineTemplate({
  kind: 'lightning-warning',
  title: '雷电预警信号通知',
  schema,
  statutory: true,
  urgency: 'urgent',
  summary: '【{{ levelLabel }}】{{ issuer }}{{ issuedAt | cn_short }}发布，有效期至{{ validUntil | cn_short }}',
  view: (d: Data) => ({
    ...d,
    levelLabel: WarningLevel.label(d.level),
    font: FONT[d.level],
    meaning: MEANING[d.level],
    adviceLines: advice(d),
  }),
  markdown: MARKDOWN,
  // A robot 1:1 message (the first line's fallback without a shared-card template, first-line.ts):
  // robot_1_0 sampleActionCard {title, text, singleTitle, singleURL}, docs/dingtalk-wire.md §3.
  actionCard: {
    text: `${MARKDOWN}{% if links.ack %}

请立即落实防雷安全措施，并点击「收到」确认。{% endif %}`,
    buttons: [{ title: '收到', url: '{{ links.ack | url }}' }],
  },
  ding: `【{{ levelLabel }}】{{ issuer }}{{ issuedAt | cn_short }}发布：{{ meaning }}影响区域：{{ regionNames | join: '、' }}，有效期至{{ validUntil | cn_short }}。请立即落实防雷安全措施{% if links.ack %}，并打开链接点击「收到」确认：{{ links.ack | url }}{% else %}，并在预警卡片上点击「收到」确认。{% endif %}`,
  oa: {
    head: '雷电预警',
    headColor: OA_HEAD,
    title: '【{{ levelLabel }}】{{ issuer }}发布',
    form: [
      { key: '影响区域：', value: "{{ regionNames | join: '、' }}" },
      { key: '发布时间：', value: '{{ issuedAt | cn_datetime }}' },
      { key: '有效期至：', value: '{{ validUntil | cn_datetime }}' },
    ],
    content: '请立即落实防雷安全措施，并打开本消息点击「收到」确认。{% if text %}{{ text }}{% endif %}{{ meaning }}',
    url: '{{ links.ack | url }}',
    status: '{% if status %}{{ status.text }}{% else %}待确认收到{% endif %}',
    statusColor: OA_HEAD,
  },
  card: {
    layout: 'lightning-warning',
    params: (d: Data) => ({
      ...lightningWarningOwnParams(d),
      issuer: plain(d.issuer),
      issuedAt: formatDateTime(d.issuedAt),
      regions: plain(d.regionNames.join('、')),
      validUntil: formatDateTime(d.validUntil),
      meaning: meaningParam(d),
      warningId: plain(d.warningId),
      guideUrl: link(d.links.guide),
      guideVisible: flag(Boolean(d.links.guide)),
      recordUrl: link(d.links.record),
      recordVisible: flag(Boolean(d.links.record)),
    }),
  },
  sample: {
    warningId: '33011041600000_20250715143000_0',
    level: 'ORANGE',
    issuer: '杭州市余杭区气象台',
    issuedAt: '2025-07-15T14:30:00+08:00',
    validUntil: '2025-07-15T16:30:00+08:00',
    regionNames: ['余杭区'],
    text: '杭州市余杭区气象台 2025 年 7 月 15 日 14 时 30 分发布雷电橙色预警信号：预计未来 2 小时内余杭区将出现雷电活动，局部伴有短时强降水和 8 级以上雷雨大风。',
    unit: { name: '杭州示例石化仓储有限公司' },
    extraAdvice: ['储罐区暂停收发油作业，检查 SPD 状态指示'],
    links: {
      guide: 'https://leiguard.example.gov.cn/m/warnings/guide/ORANGE',
      ack: 'https://leiguard.example.gov.cn/m/warnings/33011041600000_20250715143000_0?from=FIRST_LINE.WORK_NOTICE',
    },
  },
});
