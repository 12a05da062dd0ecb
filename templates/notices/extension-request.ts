// 整改延期申请: to the regulator when a unit asks for more time; 同意 moves the deadline (the
// workflow reschedules reminders), 不同意 keeps it.
import { z } from 'zod';
import { flag, link, md, plain, stateHeader } from '../card-params';
import { defineTemplate } from '../define';
import { formatDate, formatDateTime } from '../format';
import { hazardTypeLabel, zCardStatus, zDay, zHazardRef, zId, zName, zTime, zUnit, zUrl } from '../schemas';

const schema = z.object({
  requestId: zId,
  hazardId: zId,
  unit: zUnit,
  hazard: zHazardRef,
  currentDeadline: zDay,
  requestedDeadline: zDay,
  requestedBy: zName,
  requestedAt: zTime,
  reason: z.string().trim().min(1).max(300),
  /** Extensions already granted for this hazard. */
  previousExtensions: z.number().int().min(0).max(20).default(0),
  links: z.object({ detail: zUrl }),
  status: zCardStatus.optional(),
});

type Data = z.output<typeof schema>;

function history(d: Data): string {
  return d.previousExtensions > 0 ? `该隐患已延期 ${d.previousExtensions} 次` : '';
}

/** 防雷安全隐患整改延期申请 */
export const extensionRequest = defineTemplate({
  kind: 'extension-request',
  title: '防雷安全隐患整改延期申请',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '延期申请：{{ unit.name }}申请将「{{ typeLabel }}」整改期限延至{{ requestedDeadline | cn_date }}',
  view: (d: Data) => ({ ...d, typeLabel: hazardTypeLabel(d.hazard), history: history(d) }),
  markdown: `#### 防雷安全隐患整改延期申请

**{{ unit.name }}** 申请延长「{{ typeLabel }}」的整改期限，请审批。

- 原整改期限：{{ currentDeadline | cn_date }}
- 申请延至：**{{ requestedDeadline | cn_date }}**
- 申请人：{{ requestedBy }}，{{ requestedAt | cn_datetime }}
- 延期理由：{{ reason }}
{% if history %}- {{ history }}
{% endif %}
[查看并审批]({{ links.detail | url }})`,
  card: {
    layout: 'extension-request',
    params: (d) => ({
      ...stateHeader(`整改延期申请：${d.unit.name}`, d.status?.state, 'orange'),
      unitName: plain(d.unit.name),
      hazardType: plain(hazardTypeLabel(d.hazard)),
      currentDeadline: formatDate(d.currentDeadline),
      requestedDeadline: formatDate(d.requestedDeadline),
      requestedBy: plain(d.requestedBy),
      requestedAt: formatDateTime(d.requestedAt),
      reason: md(d.reason),
      history: plain(history(d)),
      historyVisible: flag(d.previousExtensions > 0),
      statusText: plain(d.status?.text ?? ''),
      statusVisible: flag(Boolean(d.status)),
      actionsVisible: flag(d.status ? d.status.actionsVisible : true),
      requestId: plain(d.requestId),
      hazardId: plain(d.hazardId),
      detailUrl: link(d.links.detail),
    }),
  },
  sample: {
    requestId: 'EX-2025-000045',
    hazardId: 'HZ-2025-000123',
    unit: { name: '杭州示例石化仓储有限公司' },
    hazard: { type: 'EARTH_R', level: 'GENERAL' },
    currentDeadline: '2025-07-25',
    requestedDeadline: '2025-08-08',
    requestedBy: '张三',
    requestedAt: '2025-07-18T09:20:00+08:00',
    reason: '接地极更换需储罐区停用动火作业，已申请 8 月初的检修窗口，施工和复测需约 10 天。',
    previousExtensions: 0,
    links: { detail: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123/extension/EX-2025-000045' },
  },
});
