// 提醒/约谈名单（执法人员）: the units of a regulator's jurisdiction that crossed the reminder or the
// interview line in a published duty ranking (issue #6 part 3). Interview proposals also arrive one
// by one as cards (interview-proposal) for the decision.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { zName, zUrl } from '../schemas';

const item = z.object({
  unitName: zName,
  /** 提醒 or 约谈建议 */
  step: z.enum(['REMINDER', 'INTERVIEW_PROPOSAL']),
  reason: z.string().trim().min(1).max(120),
});

const schema = z.object({
  period: z.string().trim().min(1).max(20),
  orgName: z.string().trim().min(1).max(40),
  items: z.array(item).min(1).max(50),
  links: z.object({ ranking: zUrl }),
});

type Data = z.output<typeof schema>;

/** 防雷安全主体责任落实排名提醒、约谈名单 */
export const rankingDutyList = defineTemplate({
  kind: 'ranking-duty-list',
  title: '防雷安全主体责任落实排名提醒、约谈名单',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '{{ period }}排名提醒、约谈名单：{{ items.size }} 家单位',
  view: (d: Data) => ({
    ...d,
    reminders: d.items.filter((i) => i.step === 'REMINDER'),
    proposals: d.items.filter((i) => i.step === 'INTERVIEW_PROPOSAL'),
  }),
  markdown: `#### {{ period }}防雷安全主体责任落实排名提醒、约谈名单

{{ orgName }}：以下单位本期达到提醒或约谈条件。
{% if proposals.size > 0 %}
**建议约谈**（请在约谈建议卡片上发起约谈或说明暂不约谈的理由）

{% for i in proposals %}- {{ i.unitName }}：{{ i.reason }}
{% endfor %}{% endif %}{% if reminders.size > 0 %}
**已提醒**

{% for i in reminders %}- {{ i.unitName }}：{{ i.reason }}
{% endfor %}{% endif %}
[查看完整排名]({{ links.ranking | url }})`,
  sample: {
    period: '2025年6月',
    orgName: '杭州市余杭区气象局',
    items: [
      { unitName: '萧山示例加油站', step: 'INTERVIEW_PROPOSAL', reason: '连续 2 期排名后 10%，此前已提醒' },
      { unitName: '杭州示例石化仓储有限公司', step: 'REMINDER', reason: '重大隐患逾期未整改' },
    ],
    links: { ranking: 'https://leiguard.example.gov.cn/m/ranking/2025-06?region=330110' },
  },
});
