// 约谈建议: a unit crossed the reminder line again (issue #6 part 4), so an interview is proposed to
// the responsible regulator, who decides on the card: 「发起约谈」 with time and place (prefilled with
// the suggested ones) or 「暂不约谈」 with a reason. A unit's request to reschedule comes back on
// the same card kind with the request shown.
import { z } from 'zod';
import { flag, link, md, mdList, plain, stateHeader } from '../card-params';
import { defineTemplate } from '../define';
import { formatDateTime } from '../format';
import { zCardStatus, zId, zTime, zUnit, zUrl } from '../schemas';

const schema = z.object({
  proposalId: zId,
  unit: zUnit,
  reason: z.string().trim().min(1).max(200),
  /** Recent ranking places, e.g. 2026年9月：第 38/40 名，52.5 分 */
  history: z.array(z.string().trim().min(1).max(60)).max(6).default([]),
  /** Suggested (or, after a reschedule request, current) time and place. */
  time: zTime,
  place: z.string().trim().min(1).max(60),
  /** The unit asked to reschedule, with its reason. */
  rescheduleRequest: z.string().trim().min(1).max(200).optional(),
  links: z.object({ detail: zUrl }),
  status: zCardStatus.optional(),
});

type Data = z.output<typeof schema>;

/** 防雷安全约谈建议 */
export const interviewProposal = defineTemplate({
  kind: 'interview-proposal',
  title: '防雷安全约谈建议',
  schema,
  statutory: true,
  urgency: 'normal',
  summary: '约谈建议：{{ unit.name }}',
  view: (d: Data) => d,
  markdown: `#### 防雷安全约谈建议

**{{ unit.name }}**：{{ reason }}
{% if history.size > 0 %}
{% for h in history %}- {{ h }}
{% endfor %}{% endif %}{% if rescheduleRequest %}
<font color=#F5A623>单位申请改期：{{ rescheduleRequest }}</font>
{% endif %}
建议时间：{{ time | cn_datetime }}，地点：{{ place }}。请在卡片上发起约谈或说明暂不约谈的理由。

[查看详情]({{ links.detail | url }})`,
  card: {
    layout: 'interview-proposal',
    params: (d: Data) => ({
      ...stateHeader(
        `${d.rescheduleRequest ? '约谈改期申请' : '防雷安全约谈建议'}：${d.unit.name}`,
        d.status?.state,
        'orange',
      ),
      unitName: plain(d.unit.name),
      reason: md(d.reason),
      history: mdList(d.history),
      historyVisible: flag(d.history.length > 0),
      rescheduleText: plain(d.rescheduleRequest ? `单位申请改期：${d.rescheduleRequest}` : ''),
      rescheduleVisible: flag(Boolean(d.rescheduleRequest)),
      timeText: formatDateTime(d.time),
      time: plain(d.time),
      place: plain(d.place),
      declineReason: '',
      statusText: plain(d.status?.text ?? ''),
      statusVisible: flag(Boolean(d.status)),
      actionsVisible: flag(d.status ? d.status.actionsVisible : true),
      proposalId: plain(d.proposalId),
      detailUrl: link(d.links.detail),
    }),
  },
  sample: {
    proposalId: 'DA-2025-000017',
    unit: { name: '萧山示例加油站' },
    reason: '连续 2 期排名后 10%，此前已提醒',
    history: ['2025年5月：第 40/40 名，41.5 分', '2025年6月：第 39/40 名，47.0 分'],
    time: '2025-07-24T09:30:00+08:00',
    place: '萧山区气象局三楼会议室',
    links: { detail: 'https://leiguard.example.gov.cn/m/ranking/2025-06/units/U-2025-000123' },
  },
});
