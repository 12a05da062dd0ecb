// 重复检查提醒: to the inspectors of two bureaus whose inspections of one unit fall within
// INSPECTION_REPEAT_WARN_DAYS of each other (issue #22 part 4; 国办发〔2024〕54号 asks to avoid
// repeated and multi-level inspections of one enterprise and to combine them where possible).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { zDay, zName, zUrl } from '../schemas';

const visit = z.object({ org: zName, mode: z.string().trim().min(1).max(20), date: zDay });

const schema = z.object({
  unit: z.object({ name: zName }),
  /** The earlier inspection and the later one. */
  first: visit,
  second: visit,
  windowDays: z.number().int().min(1).max(365),
  links: z.object({ unit: zUrl }),
});

/** 重复检查提醒 */
export const inspectionRepeat = defineTemplate({
  kind: 'inspection-repeat',
  title: '重复检查提醒',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '重复检查提醒：{{ unit.name }}在{{ windowDays }}天内将接受两个机构检查',
  markdown: `#### 重复检查提醒

**{{ unit.name }}** 在 {{ windowDays }} 天内有两个机构的检查：

1. {{ first.org }}：{{ first.mode }}（{{ first.date | cn_date }}）
2. {{ second.org }}：{{ second.mode }}（{{ second.date | cn_date }}）

依据《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号），同一企业的检查应尽量合并或联合开展，避免重复检查。请两个机构沟通，能合并的合并进行。

[查看单位检查记录]({{ links.unit | url }})`,
  sample: {
    unit: { name: '杭州示例石化仓储有限公司' },
    first: { org: '杭州市余杭区气象局', mode: '码上检查', date: '2026-12-06' },
    second: { org: '杭州市气象局', mode: '双随机一公开', date: '2026-12-10' },
    windowDays: 30,
    links: { unit: 'https://leiguard.example.gov.cn/m/units/0b0e7f4e-0000-4000-8000-000000000001' },
  },
});
