// 逾期未整改通知: after a rectification deadline passes, to the unit's manager, its legal
// representative and the responsible regulator, with the next escalation step (提醒 → 约谈 → 立案处罚:
// the order is LeiGuard's own, no public rule sets it; the penalty is 《防雷减灾管理办法》 (中国气象局令第24号)
// art. 35).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { HazardLevel } from '../labels';
import { hazardTypeLabel, zDay, zHazardRef, zId, zUnit, zUrl } from '../schemas';

const NEXT_STEP = {
  REMIND: '再次督促整改',
  INTERVIEW: '约谈单位主要负责人',
  CASE: '依法立案调查',
} as const;

const schema = z.object({
  hazardId: zId,
  unit: zUnit,
  hazard: zHazardRef,
  deadline: zDay,
  overdueDays: z.number().int().min(1).max(3650),
  /** Who reads it: the unit's manager, its legal representative, or the regulator. */
  audience: z.enum(['MANAGER', 'LEGAL_REP', 'REGULATOR']),
  nextStep: z.enum(['REMIND', 'INTERVIEW', 'CASE']),
  /**
   * The hazard has just been escalated (a separate event from becoming overdue): the regulator's
   * notice says so, so the two notices never read the same (issue #23, one notice per event).
   */
  escalated: z.boolean().default(false),
  issuer: z.string().trim().min(1).max(40),
  links: z.object({ detail: zUrl, submit: zUrl.optional() }),
});

type Data = z.output<typeof schema>;

/** 防雷安全隐患逾期未整改通知 */
export const hazardOverdue = defineTemplate({
  kind: 'hazard-overdue',
  title: '防雷安全隐患逾期未整改通知',
  schema,
  statutory: true,
  urgency: 'urgent',
  summary:
    '{% if escalated %}【已升级】{% endif %}【逾期{{ overdueDays }}天】{{ unit.name }}「{{ typeLabel }}」{% if escalated %}逾期未整改，已升级处理{% else %}未按期整改{% endif %}',
  view: (d: Data) => ({
    ...d,
    typeLabel: hazardTypeLabel(d.hazard),
    levelLabel: HazardLevel.label(d.hazard.level),
    nextStepLabel: NEXT_STEP[d.nextStep],
    toUnit: d.audience !== 'REGULATOR',
  }),
  markdown: `#### <font color=#D0021B>{% if escalated %}{{ unit.name }}：隐患逾期未整改，已升级处理{% else %}{{ unit.name }}：防雷安全隐患逾期未整改{% endif %}</font>

{% if toUnit %}**{{ unit.name }}**{% if audience == 'LEGAL_REP' %}法定代表人{% endif %}：

你单位的{{ levelLabel }}「{{ typeLabel }}」整改期限已于 **{{ deadline | cn_date }}** 届满，至今已逾期 **{{ overdueDays }}** 天仍未完成整改。

{% if hazard.description %}隐患情况：{{ hazard.description }}

{% endif %}请立即组织整改并上传整改材料。逾期不改正的，气象主管机构将{{ nextStepLabel }}，并可依照《防雷减灾管理办法》第三十五条责令改正、给予警告，处一万元以上三万元以下罚款。

{{ issuer }}

{% if links.submit %}[立即提交整改]({{ links.submit | url }}) ｜ {% endif %}[查看详情]({{ links.detail | url }}){% else %}**{{ unit.name }}** 的{{ levelLabel }}「{{ typeLabel }}」整改期限 {{ deadline | cn_date }} 已过，逾期 **{{ overdueDays }}** 天未整改。

{% if hazard.description %}隐患情况：{{ hazard.description }}

{% endif %}{% if escalated %}该隐患已升级处理并列入约谈名单，{% endif %}建议下一步：**{{ nextStepLabel }}**。

[查看隐患详情]({{ links.detail | url }}){% endif %}`,
  sample: {
    hazardId: 'HZ-2025-000087',
    unit: { name: '萧山示例加油站', regionName: '萧山区' },
    hazard: { type: 'SPD_FAIL', level: 'GENERAL', description: '配电箱电源 SPD 劣化指示窗口变红，未更换。' },
    deadline: '2025-06-30',
    overdueDays: 12,
    audience: 'LEGAL_REP',
    nextStep: 'INTERVIEW',
    issuer: '杭州市萧山区气象局',
    links: {
      detail: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000087',
      submit: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000087/rectify',
    },
  },
});
