// 安全风险码转为红码: a unit's risk code turned red (issue #4 part 9); the regulators of its
// supervising bureau are told why, from the facts the score was computed from.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { zName, zUrl } from '../schemas';

const count = z.number().int().min(0);

const schema = z.object({
  unit: z.object({ name: zName }),
  /** The codes before and after, as labelled (绿码（低风险）…). */
  from: z.string().trim().min(1).max(20),
  to: z.string().trim().min(1).max(20),
  score: z.number(),
  facts: z.object({
    overdueMajor: count,
    openMajor: count,
    openGeneral: count,
    overdue: count,
    testOverdue: z.boolean(),
  }),
  links: z.object({ list: zUrl }),
});

/** 安全风险码转为红码 */
export const riskRed = defineTemplate({
  kind: 'risk-red',
  title: '安全风险码转为红码',
  schema,
  statutory: false,
  urgency: 'normal',
  ...prose({
    title: '安全风险码转为红码',
    paragraphs: [
      '{{ unit.name }} 的防雷安全风险码已由{{ from }}转为{{ to }}（风险分 {{ score }}）。',
      "主要原因：{% capture why %}{% if facts.overdueMajor > 0 %}重大隐患逾期未整改 {{ facts.overdueMajor }} 项；{% endif %}{% if facts.openMajor > 0 %}未销号重大隐患 {{ facts.openMajor }} 项；{% endif %}{% if facts.openGeneral > 0 %}未销号一般隐患 {{ facts.openGeneral }} 项；{% endif %}{% if facts.overdue > 0 %}逾期隐患 {{ facts.overdue }} 项；{% endif %}{% if facts.testOverdue %}未按期检测；{% endif %}{% endcapture %}{% assign why = why | remove_last: '；' %}{% if why == '' %}综合评分达到红码线{% else %}{{ why | raw }}{% endif %}。请及时督促整改。",
    ],
    link: { title: '查看隐患', url: '{{ links.list | url }}' },
  }),
  sample: {
    unit: { name: '萧山示例加油站' },
    from: '黄码（较高风险）',
    to: '红码（高风险）',
    score: 72,
    facts: { overdueMajor: 1, openMajor: 1, openGeneral: 2, overdue: 1, testOverdue: true },
    links: { list: 'https://leiguard.example.gov.cn/m/' },
  },
});
