// 检测报告异常提示: to the regulator when rule checks flag an uploaded test report
// (rules R01–R12 of core/test-report/anomaly-rules.ts: LeiGuard's own checks, no public rule defines them;
// thresholds are configurable in core).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { AnomalyRule } from '../labels';
import { zDay, zName, zUnit, zUrl } from '../schemas';

const schema = z.object({
  reportNo: z.string().trim().min(1).max(40),
  agency: z.object({ name: zName, level: z.enum(['甲', '乙']).optional() }),
  unit: zUnit,
  inspectionDate: zDay,
  issueDate: zDay,
  hits: z
    .array(z.object({ rule: AnomalyRule.schema, detail: z.string().trim().min(1).max(120) }))
    .min(1)
    .max(8),
  links: z.object({ detail: zUrl }),
});

type Data = z.output<typeof schema>;

/** 防雷检测报告异常提示 */
export const testReportAnomaly = defineTemplate({
  kind: 'test-report-anomaly',
  title: '防雷检测报告异常提示',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '检测报告异常：{{ unit.name }} {{ reportNo }}（{{ agency.name }}）命中{{ hits.size }}条规则',
  view: (d: Data) => ({
    ...d,
    rows: d.hits.map((h) => ({ code: h.rule, label: AnomalyRule.label(h.rule), detail: h.detail })),
  }),
  markdown: `#### 防雷检测报告异常提示

报告 **{{ reportNo }}** 经自动核查发现 {{ hits.size }} 项异常，请核实。

- 检测机构：{{ agency.name }}{% if agency.level %}（{{ agency.level }}级）{% endif %}
- 受检单位：{{ unit.name }}
- 检测日期：{{ inspectionDate | cn_date }}，出具日期：{{ issueDate | cn_date }}

**异常项**

{% for r in rows %}{{ forloop.index }}. 【{{ r.code }}】{{ r.label }}：{{ r.detail }}
{% endfor %}
核实属实的，可按《雷电防护装置检测资质管理办法》记入检测机构信用档案。

[查看报告与核查依据]({{ links.detail | url }})`,
  sample: {
    reportNo: 'FLJC-2025-0456',
    agency: { name: '示例防雷检测技术有限公司', level: '乙' },
    unit: { name: '北仑示例数据中心' },
    inspectionDate: '2025-07-08',
    issueDate: '2025-07-07',
    hits: [
      { rule: 'R01', detail: '出具日期 2025-07-07 早于检测日期 2025-07-08' },
      { rule: 'R03', detail: '仅 1 名检测人员签字（李四）' },
      { rule: 'R10', detail: '乙级机构检测二类防雷建筑物' },
    ],
    links: { detail: 'https://leiguard.example.gov.cn/m/reports/FLJC-2025-0456' },
  },
});
