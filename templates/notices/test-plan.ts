// 防雷装置检测计划: to a key unit's managers and its regulators when a testing agency files its plan
// (issue #22 part 1; 浙里防雷安全: the agency files its plan before it tests). An interactive card
// with the plan and a link to the unit's page (planned test, field record, report, inspections).
import { z } from 'zod';
import { link, mdList, plain } from '../card-params';
import { defineTemplate } from '../define';
import { zDay, zId, zName, zUrl } from '../schemas';

const schema = z.object({
  planId: zId,
  unit: z.object({ name: zName }),
  /** 第一类防雷建筑物 ... */
  lpClass: z.string().trim().min(1).max(20),
  agency: z.object({ name: zName, level: z.enum(['甲级', '乙级']) }),
  plannedDate: zDay,
  testers: z.array(z.string().trim().min(1).max(20)).min(1).max(10),
  installations: z.array(z.string().trim().min(1).max(40)).min(1).max(30),
  reportDueDate: zDay,
  links: z.object({ detail: zUrl }),
});

type Data = z.output<typeof schema>;

const NOTE = '检测人员到场后须扫描单位监管码开始检测；报告应在现场检测后规定的工作日内提交。';

/** 防雷装置检测计划 */
export const testPlan = defineTemplate({
  kind: 'test-plan',
  title: '防雷装置检测计划',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '{{ unit.name }}：{{ agency.name }}计划于{{ plannedDate | cn_date }}检测防雷装置',
  markdown: `#### 防雷装置检测计划

**{{ unit.name }}**（{{ lpClass }}）

- 检测机构：{{ agency.name }}（{{ agency.level }}）
- 计划检测日期：{{ plannedDate | cn_date }}
- 检测人员：{{ testers | join: "、" }}
- 检测内容：{{ installations | join: "、" }}
- 报告提交期限：{{ reportDueDate | cn_date }}

${NOTE}

[查看单位检测与检查]({{ links.detail | url }})`,
  card: {
    layout: 'test-plan',
    params: (d: Data) => ({
      title: plain(`防雷装置检测计划：${d.unit.name}`),
      unitName: plain(d.unit.name),
      lpClass: plain(d.lpClass),
      agencyName: plain(`${d.agency.name}（${d.agency.level}）`),
      plannedDate: plain(d.plannedDate),
      testers: plain(d.testers.join('、')),
      installations: mdList(d.installations),
      reportDueDate: plain(d.reportDueDate),
      note: plain(NOTE),
      detailUrl: link(d.links.detail),
    }),
  },
  sample: {
    planId: 'PLAN-2026-0001',
    unit: { name: '杭州示例石化仓储有限公司' },
    lpClass: '第二类防雷建筑物',
    agency: { name: '浙江恒安雷电防护检测有限公司', level: '甲级' },
    plannedDate: '2026-12-08',
    testers: ['李检测', '赵检测'],
    installations: ['接闪器', '引下线', '接地装置', '电涌保护器（SPD）'],
    reportDueDate: '2026-12-22',
    links: { detail: 'https://leiguard.example.gov.cn/m/units/0b0e7f4e-0000-4000-8000-000000000001' },
  },
});
