// 检测报告质量抽查: a report from a testing agency was drawn for the regulators' quality check at its
// credit grade's ratio (issue #22; QX/T 317 quality assessment).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { zName, zUrl } from '../schemas';

const schema = z.object({
  agency: z.object({
    name: z.string().trim().min(1).max(100),
    grade: z.enum(['A', 'B', 'C', 'D']),
    /** What the grade means for supervision, as core/credit states it. */
    supervision: z.string().trim().min(1).max(60),
  }),
  reportNo: z.string().trim().min(1).max(64),
  unit: z.object({ name: zName }),
  links: z.object({ detail: zUrl }),
});

/** 检测报告质量抽查 */
export const testReportSpotCheck = defineTemplate({
  kind: 'test-report-spot-check',
  title: '检测报告质量抽查',
  schema,
  statutory: false,
  urgency: 'normal',
  ...prose({
    title: '检测报告质量抽查',
    paragraphs: [
      '{{ agency.name }}（信用等级 {{ agency.grade }}，{{ agency.supervision }}）出具的检测报告 {{ reportNo }} 被抽中，受检单位：{{ unit.name }}。',
      '请按 QX/T 317 开展质量考核，并在报告页记录考核结果（合格、一般不合格或严重不合格）。',
    ],
    link: { title: '查看报告', url: '{{ links.detail | url }}' },
  }),
  sample: {
    agency: { name: '浙江示例防雷检测有限公司', grade: 'C', supervision: '失信警示：抽查比例提高到 30%，列入重点考核' },
    reportNo: 'ZJFL-2026-0815',
    unit: { name: '萧山示例加油站' },
    links: { detail: 'https://leiguard.example.gov.cn/m/reports/3a9b0000-0000-4000-8000-000000000001' },
  },
});
