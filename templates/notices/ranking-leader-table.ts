// 排名情况（领导）: the top and the bottom of a leader's jurisdiction in a published duty ranking,
// as a table of rows (DingTalk markdown has no table syntax, so each row is one list line with
// fixed columns: 名次 · 单位 · 分组 · 得分).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { zName, zUrl } from '../schemas';

const row = z.object({
  /** Rank within the unit's group (county × category). */
  rank: z.number().int().min(1),
  total: z.number().int().min(1),
  unitName: zName,
  /** The group, e.g. 余杭区·易燃易爆场所 */
  group: z.string().trim().min(1).max(40),
  score: z.number().min(0).max(100),
});

const schema = z.object({
  period: z.string().trim().min(1).max(20),
  /** The leader's jurisdiction, e.g. 杭州市 */
  regionName: z.string().trim().min(1).max(30),
  units: z.number().int().min(0),
  averageScore: z.number().min(0).max(100),
  top: z.array(row).max(20),
  bottom: z.array(row).max(20),
  /** Units that got a 提醒 or an interview proposal this period. */
  reminders: z.number().int().min(0),
  interviews: z.number().int().min(0),
  links: z.object({ ranking: zUrl }),
});

type Data = z.output<typeof schema>;

/** 防雷安全主体责任落实情况排名（领导） */
export const rankingLeaderTable = defineTemplate({
  kind: 'ranking-leader-table',
  title: '防雷安全主体责任落实情况排名',
  schema,
  statutory: false,
  urgency: 'bulk',
  summary: '{{ regionName }}{{ period }}防雷安全主体责任落实情况排名',
  view: (d: Data) => d,
  markdown: `#### {{ regionName }}{{ period }}防雷安全主体责任落实情况排名

参加排名的重点单位 **{{ units }}** 家，平均得分 **{{ averageScore | num: 1 }}** 分；本期提醒 {{ reminders }} 家，建议约谈 {{ interviews }} 家。

**前 {{ top.size }} 名**（名次 ｜ 单位 ｜ 分组 ｜ 得分）

{% for r in top %}- {{ r.rank }}/{{ r.total }} ｜ {{ r.unitName }} ｜ {{ r.group }} ｜ {{ r.score | num: 2 }}
{% endfor %}
**后 {{ bottom.size }} 名**（名次 ｜ 单位 ｜ 分组 ｜ 得分）

{% for r in bottom %}- {{ r.rank }}/{{ r.total }} ｜ {{ r.unitName }} ｜ {{ r.group }} ｜ {{ r.score | num: 2 }}
{% endfor %}
名次为单位在本县（区）同类重点单位中的名次，得分相同名次相同。

[查看完整排名]({{ links.ranking | url }})`,
  sample: {
    period: '2025年6月',
    regionName: '杭州市',
    units: 126,
    averageScore: 86.4,
    top: [
      { rank: 1, total: 40, unitName: '杭州示例石化仓储有限公司', group: '余杭区·易燃易爆场所', score: 100 },
      { rank: 1, total: 35, unitName: '杭州市示例中学', group: '西湖区·人员密集场所', score: 100 },
    ],
    bottom: [{ rank: 40, total: 40, unitName: '萧山示例加油站', group: '萧山区·易燃易爆场所', score: 41.5 }],
    reminders: 3,
    interviews: 1,
    links: { ranking: 'https://leiguard.example.gov.cn/m/ranking/2025-06?region=330100' },
  },
});
