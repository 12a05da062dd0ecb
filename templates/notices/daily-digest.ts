// 每日监管简报: the morning digest for leaders (分管领导) with the day's figures and a link to the
// dashboard. Bulk: it may wait behind urgent notices.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { formatPercent } from '../format';
import { zDay, zUrl } from '../schemas';

const count = z.number().int().min(0).max(1_000_000);

const schema = z.object({
  date: zDay,
  regionName: z.string().trim().min(1).max(30),
  figures: z.object({
    keyUnits: count,
    hazardsOpen: count,
    hazardsMajorOpen: count,
    hazardsNew: count,
    hazardsClosed: count,
    hazardsOverdue: count,
    testsDueIn30Days: count,
    testsOverdue: count,
    warnings: count,
    /** Share of warning recipients who acknowledged, 0..1; absent when there was no warning. */
    warningAckRate: z.number().min(0).max(1).optional(),
    permitsPending: count,
    permitsNearDeadline: count,
    reportAnomalies: count,
  }),
  /** Short lines worth a leader's attention (already chosen by the digest workflow). */
  highlights: z.array(z.string().trim().min(1).max(80)).max(5).default([]),
  links: z.object({ dashboard: zUrl }),
});

type Data = z.output<typeof schema>;

/** 防雷安全监管每日简报 */
export const dailyDigest = defineTemplate({
  kind: 'daily-digest',
  title: '防雷安全监管每日简报',
  schema,
  statutory: false,
  urgency: 'bulk',
  summary: '{{ regionName }}防雷安全监管简报（{{ date | cn_date }}）',
  view: (d: Data) => ({
    ...d,
    ackRate: d.figures.warningAckRate === undefined ? '' : formatPercent(d.figures.warningAckRate),
  }),
  markdown: `#### {{ regionName }}防雷安全监管简报

统计日期：{{ date | cn_date }}

**隐患整改**

- 在办隐患 **{{ figures.hazardsOpen }}** 项（重大隐患 {{ figures.hazardsMajorOpen }} 项）
- 当日新增 {{ figures.hazardsNew }} 项，销号 {{ figures.hazardsClosed }} 项
- 逾期未整改 {% if figures.hazardsOverdue > 0 %}<font color=#D0021B>{{ figures.hazardsOverdue }}</font>{% else %}0{% endif %} 项

**定期检测**（重点单位 {{ figures.keyUnits }} 家）

- 30 天内到期 {{ figures.testsDueIn30Days }} 家，已逾期 {{ figures.testsOverdue }} 家
- 新发现检测报告异常 {{ figures.reportAnomalies }} 份

**预警与许可**

- 雷电预警 {{ figures.warnings }} 次{% if ackRate %}，确认率 {{ ackRate }}{% endif %}
- 待办许可 {{ figures.permitsPending }} 件，临近法定时限 {{ figures.permitsNearDeadline }} 件
{% if highlights.size > 0 %}
**值得关注**

{% for h in highlights %}- {{ h }}
{% endfor %}{% endif %}
[打开监管驾驶舱]({{ links.dashboard | url }})`,
  actionCard: {
    title: '{{ regionName }}防雷安全监管简报（{{ date | cn_date }}）',
    text: `#### {{ regionName }}防雷安全监管简报

统计日期：{{ date | cn_date }}

- 在办隐患 **{{ figures.hazardsOpen }}** 项，重大 {{ figures.hazardsMajorOpen }} 项，逾期 {{ figures.hazardsOverdue }} 项
- 当日新增 {{ figures.hazardsNew }} 项，销号 {{ figures.hazardsClosed }} 项
- 检测 30 天内到期 {{ figures.testsDueIn30Days }} 家，逾期 {{ figures.testsOverdue }} 家
- 雷电预警 {{ figures.warnings }} 次{% if ackRate %}，确认率 {{ ackRate }}{% endif %}
- 待办许可 {{ figures.permitsPending }} 件，临近时限 {{ figures.permitsNearDeadline }} 件
{% if highlights.size > 0 %}
**值得关注**：{{ highlights | join: '；' }}{% endif %}`,
    buttons: [{ title: '打开监管驾驶舱', url: '{{ links.dashboard | url }}' }],
  },
  sample: {
    date: '2025-07-16',
    regionName: '杭州市余杭区',
    figures: {
      keyUnits: 312,
      hazardsOpen: 27,
      hazardsMajorOpen: 2,
      hazardsNew: 3,
      hazardsClosed: 5,
      hazardsOverdue: 4,
      testsDueIn30Days: 18,
      testsOverdue: 1,
      warnings: 1,
      warningAckRate: 0.925,
      permitsPending: 6,
      permitsNearDeadline: 1,
      reportAnomalies: 2,
    },
    highlights: ['杭州示例石化仓储有限公司重大隐患整改期限剩 2 天', '示例防雷检测技术有限公司 1 份报告出具日期早于检测日期'],
    links: { dashboard: 'https://leiguard.example.gov.cn/dashboard?region=330110' },
  },
});
