// 定期检测到期提醒: to a key unit 30 and 7 days before its next periodic test is due, and once when
// it is overdue (《防雷减灾管理办法》 art. 19: yearly, half-yearly at explosion/fire-hazard sites).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { UnitCategory } from '../labels';
import { zDay, zUnit, zUrl } from '../schemas';

const schema = z.object({
  unit: zUnit,
  category: UnitCategory.schema,
  halfYearCycle: z.boolean(),
  lastTestDate: zDay.optional(),
  dueDate: zDay,
  /** Days until due; negative when overdue. */
  daysLeft: z.number().int().min(-3650).max(366),
  issuer: z.string().trim().min(1).max(40),
  links: z.object({ agencies: zUrl.optional(), detail: zUrl.optional() }),
});

type Data = z.output<typeof schema>;

/** 防雷装置定期检测到期提醒 */
export const inspectionDue = defineTemplate({
  kind: 'inspection-due',
  title: '防雷装置定期检测到期提醒',
  schema,
  statutory: false,
  urgency: 'normal',
  summary:
    '{% if overdue %}【已逾期】{% endif %}{{ unit.name }}防雷装置定期检测{% if overdue %}已逾期{{ overdueDays }}天{% else %}将于{{ dueDate | cn_date }}到期{% endif %}',
  view: (d: Data) => ({
    ...d,
    overdue: d.daysLeft < 0,
    overdueDays: Math.abs(d.daysLeft),
    categoryLabel: UnitCategory.label(d.category),
    cycleLabel: d.halfYearCycle ? '每半年检测一次' : '每年检测一次',
  }),
  markdown: `#### 防雷装置定期检测{% if overdue %}<font color=#D0021B>已逾期</font>{% else %}到期提醒{% endif %}

**{{ unit.name }}**：

你单位属于{{ categoryLabel }}，防雷装置应当{{ cycleLabel }}。{% if lastTestDate %}上次检测日期为 {{ lastTestDate | cn_date }}，{% endif %}{% if overdue %}本次检测应于 **{{ dueDate | cn_date }}** 前完成，已逾期 **{{ overdueDays }}** 天。逾期未检测将被列为「未按期检测」隐患。{% else %}本次检测应于 **{{ dueDate | cn_date }}** 前完成（还剩 {{ daysLeft }} 天）。{% endif %}

请委托具有相应资质的防雷装置检测机构实施检测，并可在全国防雷减灾综合管理服务平台核验机构资质。

依据：《防雷减灾管理办法》（中国气象局令第24号）第十九条

{{ issuer }}

{% if links.agencies %}[查看有资质的检测机构]({{ links.agencies | url }}){% if links.detail %} ｜ {% endif %}{% endif %}{% if links.detail %}[查看单位档案]({{ links.detail | url }}){% endif %}`,
  sample: {
    unit: { name: '义乌示例烟花爆竹仓库' },
    category: 'FLAMMABLE',
    halfYearCycle: true,
    lastTestDate: '2025-02-12',
    dueDate: '2025-08-12',
    daysLeft: 30,
    issuer: '义乌市气象局',
    links: {
      agencies: 'https://leiguard.example.gov.cn/m/agencies',
      detail: 'https://leiguard.example.gov.cn/m/units/91330782MA2E000054',
    },
  },
});
