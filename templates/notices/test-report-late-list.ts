// 检测报告逾期未交清单: to the regulators responsible for key units whose planned test's report is
// past its due date (issue #22 part 3), once per report: the reports that became late since the
// regulator's previous list.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { zDay, zName, zUrl } from '../schemas';

const schema = z.object({
  date: zDay,
  reports: z
    .array(
      z.object({
        unit: zName,
        agency: zName,
        plannedDate: zDay,
        fieldDate: zDay.optional(),
        dueDate: zDay,
        url: zUrl,
      }),
    )
    .min(1)
    .max(20),
  total: z.number().int().min(1).max(1_000_000),
});

type Data = z.output<typeof schema>;

/** 检测报告逾期未交清单 */
export const testReportLateList = defineTemplate({
  kind: 'test-report-late-list',
  title: '检测报告逾期未交清单',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '{{ total }} 份防雷检测报告逾期未交',
  view: (d: Data) => ({ ...d, more: d.total - d.reports.length }),
  markdown: `#### 检测报告逾期未交清单

截至 {{ date | cn_date }}，以下 **{{ total }}** 份检测报告已超过提交期限（自上次清单以来新增）：

{% for r in reports %}{{ forloop.index }}. [{{ r.unit }}]({{ r.url | url }})：{{ r.agency }}，{% if r.fieldDate %}{{ r.fieldDate | cn_date }}现场检测{% else %}计划 {{ r.plannedDate | cn_date }}，未现场扫码{% endif %}，应于 {{ r.dueDate | cn_date }} 前提交
{% endfor %}{% if more > 0 %}
另有 {{ more }} 份未列出。
{% endif %}
逾期情况已计入检测机构信用评价；请督促检测机构尽快提交报告。`,
  sample: {
    date: '2026-12-23',
    reports: [
      {
        unit: '杭州示例石化仓储有限公司',
        agency: '示例防雷检测技术有限公司',
        plannedDate: '2026-12-08',
        fieldDate: '2026-12-08',
        dueDate: '2026-12-22',
        url: 'https://leiguard.example.gov.cn/m/units/0b0e7f4e-0000-4000-8000-000000000001',
      },
    ],
    total: 1,
  },
});
