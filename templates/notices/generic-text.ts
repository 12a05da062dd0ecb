// 通用通知: free text from an operator or a workflow that has no dedicated kind (e.g. a
// system announcement). Not statutory: recipients may mute it.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { zUrl } from '../schemas';

const schema = z.object({
  /** Heading, one line. */
  title: z.string().trim().min(1).max(40),
  /** Paragraphs (each shown as one line; split text on blank lines before calling). */
  paragraphs: z.array(z.string().trim().min(1).max(400)).min(1).max(8),
  /** Optional signature, e.g. the sending bureau. */
  sender: z.string().trim().min(1).max(40).optional(),
  link: z.object({ title: z.string().trim().min(1).max(12), url: zUrl }).optional(),
});

/** 通用通知 */
export const genericText = defineTemplate({
  kind: 'generic-text',
  title: '通知',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '{{ title }}',
  markdown: `#### {{ title }}

{% for p in paragraphs %}{{ p }}

{% endfor %}{% if sender %}{{ sender }}

{% endif %}{% if link %}[{{ link.title }}]({{ link.url | url }}){% endif %}`,
  ding: `{{ title }}：{% for p in paragraphs %}{{ p }}{% unless forloop.last %} {% endunless %}{% endfor %}{% if sender %}（{{ sender }}）{% endif %}`,
  sample: {
    title: '系统维护通知',
    paragraphs: [
      '雷卫防雷安全监管平台将于 7 月 20 日 22:00 至 23:00 进行维护升级，期间小程序暂停使用。',
      '维护期间的整改期限不受影响，如有紧急事项请电话联系属地气象局。',
    ],
    sender: '杭州市气象局',
    link: { title: '查看公告', url: 'https://leiguard.example.gov.cn/m/notices/2025-07-20' },
  },
});
