// 约谈通知书: summons a unit's principal to a safety interview (安委〔2018〕2号 practice: notice with
// the matters, held within about a week, no proxies, written rectification report within 5 working
// days after). Sent as a card with 确认参加, plus a DING so it is not missed.
import { z } from 'zod';
import { flag, link, md, mdList, plain, stateHeader } from '../card-params';
import { defineTemplate } from '../define';
import { formatDateTime } from '../format';
import { zCardStatus, zId, zName, zTime, zUnit, zUrl } from '../schemas';

const schema = z.object({
  interviewId: zId,
  unit: zUnit,
  time: zTime,
  place: z.string().trim().min(1).max(60),
  /** Summoning authority, e.g. 杭州市余杭区气象局. */
  host: z.string().trim().min(1).max(40),
  attendees: z.string().trim().min(1).max(60),
  reason: z.string().trim().min(1).max(300),
  materials: z.array(z.string().trim().min(1).max(60)).min(1).max(6),
  basis: z.string().trim().min(1).max(120),
  contact: z.object({
    name: zName,
    phone: z
      .string()
      .trim()
      .regex(/^[0-9-]{7,20}$/, '电话号码格式不正确')
      .optional(),
  }),
  /** Working days after the interview for the written rectification report. */
  reportDays: z.number().int().min(1).max(30).default(5),
  links: z.object({ detail: zUrl }),
  status: zCardStatus.optional(),
});

type Data = z.output<typeof schema>;

/** The reason for a DING: at most 60 characters, without its closing full stop. */
function shortReason(reason: string): string {
  const chars = [...reason.replace(/[。．.！!]+$/u, '')];
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : chars.join('');
}

/** 防雷安全约谈通知 */
export const interviewSummons = defineTemplate({
  kind: 'interview-summons',
  title: '防雷安全约谈通知',
  schema,
  statutory: true,
  urgency: 'urgent',
  summary: '约谈通知：请{{ unit.name }}于{{ time | cn_datetime }}参加防雷安全约谈',
  markdown: `#### <font color=#D0021B>防雷安全约谈通知</font>

**{{ unit.name }}**：

{{ reason }}

根据{{ basis }}，{{ host }}决定对你单位进行约谈。

- 时间：**{{ time | cn_datetime }}**
- 地点：{{ place }}
- 参加人员：{{ attendees }}（不得委托他人代替）
- 请携带：{{ materials | join: '、' }}

约谈后 {{ reportDays }} 个工作日内，请书面报送整改落实情况。联系人：{{ contact.name }}{% if contact.phone %}，{{ contact.phone }}{% endif %}。

[确认参加]({{ links.detail | url }})`,
  view: (d: Data) => ({ ...d, reasonShort: shortReason(d.reason) }),
  ding: `【约谈通知】{{ unit.name }}：{{ host }}定于{{ time | cn_datetime }}在{{ place }}进行防雷安全约谈，请{{ attendees }}准时参加。事由：{{ reasonShort }}。请在钉钉中点击约谈通知卡片上的“确认参加”。联系人：{{ contact.name }}{% if contact.phone %} {{ contact.phone }}{% endif %}`,
  card: {
    layout: 'interview-summons',
    params: (d: Data) => ({
      // The unit first, the state in words and colour.
      ...stateHeader(`防雷安全约谈通知：${d.unit.name}`, d.status?.state, 'red'),
      unitName: plain(d.unit.name),
      time: formatDateTime(d.time),
      place: plain(d.place),
      host: plain(d.host),
      attendees: plain(`${d.attendees}（不得委托他人代替）`),
      reason: md(d.reason),
      materials: mdList(d.materials),
      basis: plain(`依据：${d.basis}。约谈后 ${d.reportDays} 个工作日内书面报送整改落实情况。`),
      contact: plain(`联系人：${d.contact.name}${d.contact.phone ? ` ${d.contact.phone}` : ''}`),
      rescheduleReason: '',
      statusText: plain(d.status?.text ?? ''),
      statusVisible: flag(Boolean(d.status)),
      actionsVisible: flag(d.status ? d.status.actionsVisible : true),
      interviewId: plain(d.interviewId),
      detailUrl: link(d.links.detail),
    }),
  },
  sample: {
    interviewId: 'IV-2025-000009',
    unit: { name: '萧山示例加油站' },
    time: '2025-07-24T09:30:00+08:00',
    place: '萧山区气象局三楼会议室',
    host: '杭州市萧山区气象局',
    attendees: '单位主要负责人、安全管理负责人',
    reason: '你单位配电箱电源 SPD 失效隐患逾期 12 天未整改，且连续三期主体责任落实排名后 10%。',
    materials: ['隐患整改方案', '防雷安全管理制度', '近一年防雷装置检测报告'],
    basis: '《防雷减灾管理办法》和《安全生产约谈实施办法（试行）》',
    contact: { name: '王五', phone: '0571-82000000' },
    links: { detail: 'https://leiguard.example.gov.cn/m/interviews/IV-2025-000009' },
  },
});
