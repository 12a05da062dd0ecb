// 检测逾期单位清单: to the regulators responsible for key units whose periodic lightning-protection
// test became overdue since their last list (issue #8 part 8; 《防雷减灾管理办法》 art. 19 and 35:
// refusing the periodic test is 责令改正 and a warning or a fine).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { UnitCategory } from '../labels';
import { zDay, zName, zUrl } from '../schemas';

const schema = z.object({
  date: zDay,
  /** Units newly overdue, the longest overdue first (at most 20 listed). */
  units: z
    .array(
      z.object({ name: zName, category: UnitCategory.schema, dueDate: zDay, days: z.number().int().min(1).max(3650) }),
    )
    .min(1)
    .max(20),
  /** All units of the list, when more than those shown. */
  total: z.number().int().min(1).max(1_000_000),
  links: z.object({ dashboard: zUrl }),
});

type Data = z.output<typeof schema>;

/** 防雷装置检测逾期单位清单 */
export const testOverdueList = defineTemplate({
  kind: 'test-overdue-list',
  title: '防雷装置检测逾期单位清单',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '{{ total }} 家重点单位防雷装置定期检测已逾期',
  view: (d: Data) => ({
    ...d,
    rows: d.units.map((u) => ({ ...u, categoryLabel: UnitCategory.label(u.category) })),
    more: d.total - d.units.length,
  }),
  markdown: `#### 防雷装置检测逾期单位清单

截至 {{ date | cn_date }}，以下 **{{ total }}** 家重点单位的防雷装置定期检测已逾期（自上次清单以来新增）：

{% for u in rows %}{{ forloop.index }}. {{ u.name }}（{{ u.categoryLabel }}）：应于 {{ u.dueDate | cn_date }} 前检测，已逾期 {{ u.days }} 天
{% endfor %}{% if more > 0 %}
另有 {{ more }} 家未列出。
{% endif %}
请督促上述单位委托有资质的检测机构实施检测；拒不检测的，依据《防雷减灾管理办法》第三十五条处理。

[查看详情]({{ links.dashboard | url }})`,
  sample: {
    date: '2026-07-13',
    units: [
      { name: '义乌示例烟花爆竹仓库', category: 'FLAMMABLE', dueDate: '2026-07-01', days: 13 },
      { name: '杭州市示例中学', category: 'CROWDED', dueDate: '2026-07-10', days: 4 },
    ],
    total: 2,
    links: { dashboard: 'https://leiguard.example.gov.cn/m/dashboard' },
  },
});
