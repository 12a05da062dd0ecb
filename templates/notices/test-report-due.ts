// 检测报告提交提醒: to a testing agency before the report of a planned test is due, and once when it
// is late (issue #22 part 3; Zhejiang asks for the report within 10 working days of the test, and
// 浙里防雷安全 counts it in the agency's credit).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { zDay, zName, zUrl } from '../schemas';

const schema = z.object({
  unit: z.object({ name: zName }),
  agency: z.object({ name: zName }),
  plannedDate: zDay,
  /** The day of the on-site scan, when there was one. */
  fieldDate: zDay.optional(),
  dueDate: zDay,
  /** Working days left; negative once late. */
  workingDaysLeft: z.number().int().min(-3650).max(60),
  links: z.object({ detail: zUrl }),
});

type Data = z.output<typeof schema>;

/** 防雷检测报告提交提醒 */
export const testReportDue = defineTemplate({
  kind: 'test-report-due',
  title: '防雷检测报告提交提醒',
  schema,
  statutory: false,
  urgency: 'normal',
  summary:
    '{% if late %}【已逾期】{% endif %}{{ unit.name }}检测报告{% if late %}逾期未提交{% else %}应于{{ dueDate | cn_date }}前提交{% endif %}',
  view: (d: Data) => ({ ...d, late: d.workingDaysLeft < 0, lateDays: Math.abs(d.workingDaysLeft) }),
  markdown: `#### 检测报告{% if late %}<font color=#D0021B>已逾期</font>{% else %}提交提醒{% endif %}

**{{ agency.name }}**：

{{ unit.name }}的防雷装置检测（计划日期 {{ plannedDate | cn_date }}{% if fieldDate %}，{{ fieldDate | cn_date }}现场扫码检测{% else %}，未现场扫码{% endif %}）的检测报告应于 **{{ dueDate | cn_date }}** 前提交。{% if late %}现已逾期 **{{ lateDays }}** 个工作日，已通报属地气象主管机构，并计入本机构信用评价。请尽快提交。{% else %}还剩 **{{ workingDaysLeft }}** 个工作日。{% endif %}

[查看检测计划]({{ links.detail | url }})`,
  sample: {
    unit: { name: '杭州示例石化仓储有限公司' },
    agency: { name: '示例防雷检测技术有限公司' },
    plannedDate: '2026-12-08',
    fieldDate: '2026-12-08',
    dueDate: '2026-12-22',
    workingDaysLeft: 3,
    links: { detail: 'https://leiguard.example.gov.cn/m/test-plans/PLAN-2026-0001' },
  },
});
