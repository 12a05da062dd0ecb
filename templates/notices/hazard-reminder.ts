// 整改到期提醒: sent to the unit before a rectification deadline (e.g. 7, 3 and 1 day(s) ahead).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { HazardLevel, HazardStatus } from '../labels';
import { hazardTypeLabel, zDay, zHazardRef, zId, zUnit, zUrl } from '../schemas';

const schema = z.object({
  hazardId: zId,
  unit: zUnit,
  hazard: zHazardRef,
  deadline: zDay,
  /** Calendar days until the deadline, 0 = due today. */
  daysLeft: z.number().int().min(0).max(365),
  status: z.enum(['PENDING', 'FIXING']),
  issuer: z.string().trim().min(1).max(40),
  links: z.object({ submit: zUrl, extension: zUrl.optional() }),
});

type Data = z.output<typeof schema>;

/** 防雷安全隐患整改到期提醒 */
export const hazardReminder = defineTemplate({
  kind: 'hazard-reminder',
  title: '防雷安全隐患整改到期提醒',
  schema,
  statutory: false,
  urgency: 'normal',
  summary:
    '整改提醒：{{ unit.name }}「{{ typeLabel }}」{% if daysLeft == 0 %}今天到期{% else %}{{ daysLeft }}天后到期{% endif %}',
  view: (d: Data) => ({
    ...d,
    typeLabel: hazardTypeLabel(d.hazard),
    levelLabel: HazardLevel.label(d.hazard.level),
    statusLabel: HazardStatus.label(d.status),
  }),
  markdown: `#### 防雷安全隐患整改到期提醒

**{{ unit.name }}**：

你单位的{{ levelLabel }}「{{ typeLabel }}」整改期限为 **{{ deadline | cn_date }}**，{% if daysLeft == 0 %}<font color=#D0021B>今天到期</font>{% else %}还剩 **{{ daysLeft }}** 天{% endif %}，当前状态：{{ statusLabel }}。

{% if hazard.description %}隐患情况：{{ hazard.description }}

{% endif %}请按期完成整改，并上传整改照片和复测报告；确有困难不能按期完成的，请在期限届满前申请延期。逾期未整改的，将依照《防雷减灾管理办法》第三十五条处理。

{{ issuer }}

[提交整改]({{ links.submit | url }}){% if links.extension %} ｜ [申请延期]({{ links.extension | url }}){% endif %}`,
  sample: {
    hazardId: 'HZ-2025-000123',
    unit: { name: '杭州示例石化仓储有限公司' },
    hazard: { type: 'EARTH_R', level: 'GENERAL', description: '储罐区 3 号罐接地电阻 18.6 Ω，超过 10 Ω 的限值。' },
    deadline: '2025-07-25',
    daysLeft: 3,
    status: 'FIXING',
    issuer: '杭州市余杭区气象局',
    links: {
      submit: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123/rectify',
      extension: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123/extension',
    },
  },
});
