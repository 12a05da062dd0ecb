// 隐患状态变更通知: tells the unit the outcome of a decision on its hazard (closed after review,
// rectification rejected, escalated...). Decisions are statutory: they cannot be muted.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { HazardLevel, HazardStatus } from '../labels';
import { hazardTypeLabel, zDay, zHazardRef, zId, zTime, zUnit, zUrl } from '../schemas';

const schema = z.object({
  hazardId: zId,
  unit: zUnit,
  hazard: zHazardRef,
  status: z.enum(['CLOSED', 'REJECTED', 'FIXING', 'SUBMITTED', 'ESCALATED']),
  /** Who decided, e.g. 余杭区气象局 王五. */
  decidedBy: z.string().trim().min(1).max(40),
  decidedAt: zTime,
  comment: z.string().trim().min(1).max(300).optional(),
  /** New deadline after a rejection or an approved extension. */
  deadline: zDay.optional(),
  links: z.object({ detail: zUrl, submit: zUrl.optional() }),
});

type Data = z.output<typeof schema>;

/** 防雷安全隐患处理结果通知 */
export const hazardStatus = defineTemplate({
  kind: 'hazard-status',
  title: '防雷安全隐患处理结果通知',
  schema,
  statutory: true,
  urgency: 'normal',
  summary: '隐患{{ statusLabel }}：{{ unit.name }}「{{ typeLabel }}」',
  view: (d: Data) => ({
    ...d,
    typeLabel: hazardTypeLabel(d.hazard),
    levelLabel: HazardLevel.label(d.hazard.level),
    statusLabel: HazardStatus.label(d.status),
    color:
      d.status === 'CLOSED' ? '#0A8F3C' : d.status === 'REJECTED' || d.status === 'ESCALATED' ? '#D0021B' : '#1F6FEB',
  }),
  markdown: `#### 防雷安全隐患处理结果：<font color={{ color | raw }}>{{ statusLabel }}</font>

**{{ unit.name }}**：

{% case status %}{% when 'CLOSED' %}你单位的{{ levelLabel }}「{{ typeLabel }}」整改已经复核通过，隐患已销号。请继续做好防雷装置日常维护和定期检测。{% when 'REJECTED' %}你单位提交的「{{ typeLabel }}」整改材料复核未通过，请按复核意见继续整改{% if deadline %}，并于 **{{ deadline | cn_date }}** 前重新提交{% endif %}。{% when 'SUBMITTED' %}你单位提交的「{{ typeLabel }}」整改材料已收到，正在复核。{% when 'FIXING' %}你单位的「{{ typeLabel }}」整改{% if deadline %}期限已调整为 **{{ deadline | cn_date }}**{% else %}已进入整改中{% endif %}。{% when 'ESCALATED' %}你单位的「{{ typeLabel }}」逾期未整改，已升级处理。{% endcase %}

{% if comment %}意见：{{ comment }}

{% endif %}处理人：{{ decidedBy }}，{{ decidedAt | cn_datetime }}

{% if links.submit and status == 'REJECTED' %}[重新提交整改]({{ links.submit | url }}) ｜ {% endif %}[查看详情]({{ links.detail | url }})`,
  sample: {
    hazardId: 'HZ-2025-000123',
    unit: { name: '杭州示例石化仓储有限公司' },
    hazard: { type: 'EARTH_R', level: 'GENERAL' },
    status: 'REJECTED',
    decidedBy: '余杭区气象局 王五',
    decidedAt: '2025-07-22T10:15:00+08:00',
    comment: '复测报告中 3 号罐接地电阻仍为 11.2 Ω，未达到 10 Ω 以下的要求。',
    deadline: '2025-08-05',
    links: {
      detail: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123',
      submit: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123/rectify',
    },
  },
});
