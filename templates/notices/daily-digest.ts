// 每日监管简报 (issue #8 part 1-3): the morning digest for leaders (分管领导) with the figures of
// their jurisdiction since the last digest and a 「查看详情」 link to the dashboard. A day with
// nothing new is one line; Mondays add the week's trend. Bulk: it waits behind urgent notices.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { formatPercent } from '../format';
import { zDay, zUrl } from '../schemas';

const count = z.number().int().min(0).max(10_000_000);
const rate = z.number().min(0).max(1);
const name = z.string().trim().min(1).max(40);

const schema = z.object({
  date: zDay,
  regionName: z.string().trim().min(1).max(30),
  /** full: every section; short: the key line only (holidays, by configuration); quiet: nothing new. */
  mode: z.enum(['full', 'short', 'quiet']).default('full'),
  figures: z.object({
    hazardsNew: count,
    hazardsClosed: count,
    hazardsOverdue: count,
    /** Of the overdue, those whose deadline passed since the last digest (optional: rows queued before it existed). */
    hazardsNewlyOverdue: count.default(0),
    hazardsOpen: count,
    hazardsMajorOpen: count,
    /** Hazards closed by their deadline ÷ hazards closed, over the last 7 days and the 7 before. */
    onTimeRate: rate.optional(),
    onTimeRatePrev: rate.optional(),
    permitsNearLimit: count,
    warningsActive: count,
    /** Units that confirmed ÷ units notified, over the warnings active since the last digest. */
    warningAckRate: rate.optional(),
    interviewsUpcoming: count,
    turnedRed: count,
    testsOverdue: count,
    reportAnomalies: count,
    /** The weekly summary: hazards filed and closed over the last 7 days and the 7 before. */
    weekFiled: count.default(0),
    weekFiledPrev: count.default(0),
    weekClosed: count.default(0),
    weekClosedPrev: count.default(0),
  }),
  /** The five most overdue units. */
  mostOverdue: z
    .array(z.object({ name, days: z.number().int().min(1) }))
    .max(5)
    .default([]),
  permitsNearLimit: z
    .array(z.object({ project: name, deadline: zDay }))
    .max(5)
    .default([]),
  interviews: z
    .array(z.object({ unitName: name, at: z.iso.datetime({ offset: true }) }))
    .max(5)
    .default([]),
  turnedRed: z.array(name).max(5).default([]),
  /** Inspections beyond a unit's yearly cap planned or drawn since the last digest (国办发〔2024〕54号). */
  overCap: z
    .object({
      total: count,
      items: z.array(z.object({ unitName: name, org: name, reason: z.string().trim().min(1).max(100) })).max(5),
    })
    .optional(),
  /** Monday: the weekly summary and the week's trend, one row per day. */
  week: z
    .array(z.object({ day: zDay, filed: count, closed: count }))
    .max(7)
    .optional(),
  links: z.object({ dashboard: zUrl }),
});

type Data = z.output<typeof schema>;

const pct = (v: number | undefined) => (v === undefined ? '—' : formatPercent(v));
const arrow = (now: number, before: number) => (now > before ? '↑' : now < before ? '↓' : '持平');

/** 防雷安全监管每日简报 */
export const dailyDigest = defineTemplate({
  kind: 'daily-digest',
  title: '防雷安全监管每日简报',
  schema,
  statutory: false,
  urgency: 'bulk',
  summary: '{{ regionName }}防雷安全监管简报（{{ date | cn_date }}）',
  view: (d: Data) => {
    const f = d.figures;
    const trend =
      f.onTimeRate === undefined || f.onTimeRatePrev === undefined ? '' : arrow(f.onTimeRate, f.onTimeRatePrev);
    return {
      ...d,
      onTime: pct(f.onTimeRate),
      onTimePrev: pct(f.onTimeRatePrev),
      trend,
      ackRate: pct(f.warningAckRate),
      filedTrend: arrow(f.weekFiled, f.weekFiledPrev),
      closedTrend: arrow(f.weekClosed, f.weekClosedPrev),
    };
  },
  markdown: `{% if mode == 'quiet' %}**{{ regionName }}防雷安全监管简报（{{ date | cn_date }}）**：自上次简报以来无新情况，在办隐患 {{ figures.hazardsOpen }} 项。[查看详情]({{ links.dashboard | url }}){% elsif mode == 'short' %}**{{ regionName }}防雷安全监管简报（{{ date | cn_date }}，节假日简版）**：新增隐患 {{ figures.hazardsNew }} 项，销号 {{ figures.hazardsClosed }} 项，逾期 {{ figures.hazardsOverdue }} 项；生效雷电预警 {{ figures.warningsActive }} 个{% if overCap %}；超出年度检查上限的检查 {{ overCap.total }} 次{% endif %}。[查看详情]({{ links.dashboard | url }}){% else %}#### {{ regionName }}防雷安全监管简报

{{ date | cn_date }}（自上次简报以来）

**隐患整改**

- 新增 {{ figures.hazardsNew }} 项，销号 {{ figures.hazardsClosed }} 项，逾期未整改 {% if figures.hazardsOverdue > 0 %}<font color=#D0021B>{{ figures.hazardsOverdue }}</font>{% else %}0{% endif %} 项{% if figures.hazardsNewlyOverdue > 0 %}（其中新逾期 {{ figures.hazardsNewlyOverdue }} 项）{% endif %}
- 在办 {{ figures.hazardsOpen }} 项（重大隐患 {{ figures.hazardsMajorOpen }} 项）
- 按期整改率 {{ onTime }}（上周 {{ onTimePrev }}）{{ trend }}
{% if mostOverdue.size > 0 %}
**逾期最久的单位**

{% for u in mostOverdue %}{{ forloop.index }}. {{ u.name }}：逾期 {{ u.days }} 天
{% endfor %}{% endif %}
**许可与约谈**

- 临近法定时限的许可 {{ figures.permitsNearLimit }} 件{% for p in permitsNearLimit %}
  - {{ p.project }}（{{ p.deadline | cn_date }} 到期）{% endfor %}
- 近 7 天约谈 {{ figures.interviewsUpcoming }} 场{% for i in interviews %}
  - {{ i.unitName }}（{{ i.at | cn_short }}）{% endfor %}

**预警与风险**

- 生效雷电预警 {{ figures.warningsActive }} 个{% if figures.warningsActive > 0 %}，确认率 {{ ackRate }}{% endif %}
- 风险码转红 {{ figures.turnedRed }} 家{% if turnedRed.size > 0 %}：{{ turnedRed | join: '、' }}{% endif %}
- 检测逾期 {{ figures.testsOverdue }} 家，检测报告异常 {{ figures.reportAnomalies }} 份
{% if overCap %}
**超出年度检查上限的检查**（国办发〔2024〕54号）

- 共 <font color=#D0021B>{{ overCap.total }}</font> 次{% for c in overCap.items %}
  - {{ c.unitName }}：{{ c.org }}，理由：{{ c.reason }}{% endfor %}
{% endif %}{% if week %}
**本周小结**（近 7 天，与前 7 天比较）

- 新增隐患 {{ figures.weekFiled }} 项（前 7 天 {{ figures.weekFiledPrev }} 项）{{ filedTrend }}
- 销号 {{ figures.weekClosed }} 项（前 7 天 {{ figures.weekClosedPrev }} 项）{{ closedTrend }}

每日新增 / 销号：

{% for w in week %}- {{ w.day | cn_date }}：{{ w.filed }} / {{ w.closed }}
{% endfor %}{% endif %}
[查看详情]({{ links.dashboard | url }}){% endif %}`,
  sample: {
    date: '2026-07-13',
    regionName: '杭州市余杭区',
    mode: 'full',
    figures: {
      hazardsNew: 3,
      hazardsClosed: 5,
      hazardsOverdue: 4,
      hazardsNewlyOverdue: 1,
      hazardsOpen: 27,
      hazardsMajorOpen: 2,
      onTimeRate: 0.8,
      onTimeRatePrev: 0.75,
      permitsNearLimit: 1,
      warningsActive: 1,
      warningAckRate: 0.925,
      interviewsUpcoming: 1,
      turnedRed: 1,
      testsOverdue: 2,
      reportAnomalies: 1,
      weekFiled: 9,
      weekFiledPrev: 12,
      weekClosed: 11,
      weekClosedPrev: 8,
    },
    mostOverdue: [{ name: '杭州示例石化仓储有限公司', days: 12 }],
    permitsNearLimit: [{ project: '余杭示例加油站防雷装置竣工验收', deadline: '2026-07-15' }],
    interviews: [{ unitName: '萧山示例加油站', at: '2026-07-15T09:30:00+08:00' }],
    turnedRed: ['杭州示例石化仓储有限公司'],
    overCap: {
      total: 1,
      items: [
        { unitName: '杭州示例石化仓储有限公司', org: '杭州市气象局', reason: '群众举报防雷装置损坏，需现场核查' },
      ],
    },
    week: [
      { day: '2026-07-07', filed: 2, closed: 1 },
      { day: '2026-07-08', filed: 0, closed: 3 },
    ],
    links: { dashboard: 'https://leiguard.example.gov.cn/m/dashboard' },
  },
});
