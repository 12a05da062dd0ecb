// 主体责任落实排名通知: tells a key unit its place in the periodic duty ranking, with the score per
// indicator, the indicators that cost it most with what to do, and what follows from repeated bottom
// places. No public document defines the ranking (UNCONFIRMED), so the bottom share and the next step come
// from core's configurable rules (RANKING_BOTTOM_PERCENT, RANKING_BOTTOM_PERIODS; core/ranking).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { zName, zUnit, zUrl } from '../schemas';

const schema = z.object({
  /** e.g. 2025年第二季度 */
  period: z.string().trim().min(1).max(20),
  /** Ranking scope, e.g. 余杭区防雷安全重点单位 */
  scope: z.string().trim().min(1).max(40),
  unit: zUnit,
  rank: z.number().int().min(1),
  total: z.number().int().min(1),
  score: z.number().min(0).max(100),
  indicators: z
    .array(z.object({ name: zName, score: z.number().min(0), max: z.number().positive() }))
    .min(1)
    .max(8),
  /** Bottom-group places in a row, this one included (0 when not in the bottom group). */
  consecutiveBottom: z.number().int().min(0).max(99),
  /** Size of the bottom group in percent (RANKING_BOTTOM_PERCENT). */
  bottomPercent: z.number().gt(0).max(50).default(10),
  /** What the unit should do, one line per costly indicator. */
  advice: z.array(z.string().trim().min(1).max(80)).max(6).default([]),
  /**
   * What follows from this place, when anything does: the duty step taken this period (提醒 or an
   * interview proposal, with the duty action's reason), or, for a bottom place short of the line,
   * how many bottom places in a row bring a 提醒 (the ranking rules' bottomPeriods).
   */
  next: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.enum(['REMINDER', 'INTERVIEW_PROPOSAL']), reason: z.string().trim().min(1).max(100) }),
      z.object({ kind: z.literal('BOTTOM_WARNING'), periods: z.number().int().min(1).max(99) }),
    ])
    .optional(),
  /** The same as a sentence: notices queued before `next` existed carry it worded by core. */
  nextStep: z.string().trim().min(1).max(120).optional(),
  issuer: z.string().trim().min(1).max(40),
  links: z.object({ detail: zUrl, ranking: zUrl.optional() }),
});

type Data = z.output<typeof schema>;

/** The next-step sentence: what the duty step means for the unit (issue #6 part 4). */
const NEXT_STEP =
  "{% case next.kind %}{% when 'REMINDER' %}{{ next.reason }}，现对你单位予以提醒；再次达到条件的，将约谈单位主要负责人。" +
  "{% when 'INTERVIEW_PROPOSAL' %}{{ next.reason }}，已建议气象主管机构约谈你单位主要负责人。" +
  "{% when 'BOTTOM_WARNING' %}连续 {{ next.periods }} 期排名后 {{ bottomPercent }}% 的单位将被提醒。" +
  '{% else %}{{ nextStep }}{% endcase %}';

/** 防雷安全主体责任落实情况排名通知 */
export const rankingNotice = defineTemplate({
  kind: 'ranking-notice',
  title: '防雷安全主体责任落实情况排名通知',
  schema,
  statutory: false,
  urgency: 'bulk',
  summary: '{{ unit.name }}：{{ period }}防雷安全主体责任排名第{{ rank }}名/共{{ total }}家',
  view: (d: Data) => ({
    ...d,
    bottom: d.consecutiveBottom > 0,
    hasNext: Boolean(d.next ?? d.nextStep),
    lost: d.indicators.filter((i) => i.score < i.max).map((i) => ({ ...i, lost: i.max - i.score })),
  }),
  actionCard: {
    text: `#### {{ period }}防雷安全主体责任落实情况排名

**{{ unit.name }}**：你单位在{{ scope }}中排名第 **{{ rank }}** 名（共 {{ total }} 家），得分 **{{ score | num: 1 }}** 分。

{% for i in indicators %}- {{ i.name }}：{{ i.score | num: 1 }} / {{ i.max | num: 1 }}
{% endfor %}
{% if bottom %}<font color=#D0021B>你单位已连续 {{ consecutiveBottom }} 期排名后 {{ bottomPercent | num: 0 }}%。</font>{% if hasNext %}${NEXT_STEP}{% else %}请对照失分项及时改进。{% endif %}

{% elsif hasNext %}${NEXT_STEP}

{% endif %}{% if lost.size > 0 %}失分项：{% for i in lost %}{{ i.name }}（-{{ i.lost | num: 1 }}）{% unless forloop.last %}、{% endunless %}{% endfor %}

{% endif %}{% if advice.size > 0 %}改进建议：
{% for a in advice %}- {{ a }}
{% endfor %}
{% endif %}{{ issuer }}`,
    buttons: [
      { title: '查看得分明细', url: '{{ links.detail | url }}' },
      { title: '查看完整排名', url: '{{ links.ranking | url }}' },
    ],
  },
  sample: {
    period: '2025年第二季度',
    scope: '余杭区防雷安全重点单位',
    unit: { name: '杭州示例石化仓储有限公司' },
    rank: 118,
    total: 126,
    score: 61.5,
    indicators: [
      { name: '按期检测', score: 30, max: 30 },
      { name: '按期整改', score: 12, max: 30 },
      { name: '一企一档', score: 9.5, max: 15 },
      { name: '雷雨季前自查', score: 0, max: 10 },
      { name: '预警信息确认', score: 5, max: 10 },
      { name: '无雷电灾害事故', score: 5, max: 5 },
    ],
    consecutiveBottom: 2,
    bottomPercent: 10,
    advice: ['在整改期限内完成隐患整改并上传整改材料', '按要求完成码上检查（自查）并提交'],
    next: { kind: 'REMINDER', reason: '连续 2 期排名后 10%' },
    issuer: '杭州市余杭区气象局',
    links: {
      detail: 'https://leiguard.example.gov.cn/m/ranking/2025Q2/units/91330110MA2H000017',
      ranking: 'https://leiguard.example.gov.cn/m/ranking/2025Q2?region=330110',
    },
  },
});
