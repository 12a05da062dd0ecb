// 雷雨季前防雷安全自查: to the managers of a key unit due a self-check (issue #7 item 6). On the
// card the short items of the unit's checklist are answered right there (符合 / 不符合 / 不适用,
// 「提交」); the full checklist with photos is the mini-app page the link opens. Key units must
// self-check before each thunderstorm season: a local key-unit rule, seen only in a third-party copy
// (http://ask.fsou.com/html/text/lar/171118/17111820_2.html); no national rule states it.
import { z } from 'zod';
import { flag, link, mdList, plain, stateHeader } from '../card-params';
import { defineTemplate } from '../define';
import { zCardStatus, zDay, zId, zName, zUrl } from '../schemas';

/** Choice fields the card layout has (a1 … a6). */
const CARD_ITEMS = 6;

const schema = z.object({
  inspectionId: zId,
  unit: z.object({ name: zName }),
  checklist: z.string().trim().min(1).max(60),
  startedAt: zDay,
  items: z
    .array(
      z.object({
        key: z.string().min(1).max(40),
        text: z.string().trim().min(1).max(200),
        answer: z.string().max(10).optional(),
      }),
    )
    .min(1)
    .max(CARD_ITEMS),
  detailUrl: zUrl,
  status: zCardStatus.optional(),
});

type Data = z.output<typeof schema>;

/** 雷雨季前防雷安全自查 */
export const selfCheck = defineTemplate({
  kind: 'self-check',
  title: '雷雨季前防雷安全自查',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '{{ unit.name }}：请完成雷雨季前防雷安全自查',
  markdown: `#### 雷雨季前防雷安全自查

**{{ unit.name }}**：

雷雨季节即将到来，请对照《{{ checklist }}》完成防雷安全自查：

{% for i in items %}{{ forloop.index }}. {{ i.text }}{% if i.answer %}（{{ i.answer }}）{% endif %}
{% endfor %}
不符合的项目将登记为隐患并按期整改。[打开完整检查表（可拍照）]({{ detailUrl | url }})`,
  card: {
    layout: 'self-check',
    params: (d: Data) => {
      const open = !d.status;
      const params: Record<string, string> = {
        ...stateHeader(`雷雨季前防雷安全自查：${d.unit.name}`, d.status?.state, 'blue'),
        unitName: plain(d.unit.name),
        checklist: plain(d.checklist),
        startedAt: plain(d.startedAt),
        answers: mdList(
          d.items.map((i) => `${i.text}：${i.answer ?? '未填写'}`),
          true,
        ),
        statusText: plain(d.status?.text ?? ''),
        statusVisible: flag(Boolean(d.status)),
        actionsVisible: flag(open),
        inspectionId: plain(d.inspectionId),
        detailUrl: link(d.detailUrl),
      };
      for (let n = 0; n < CARD_ITEMS; n++) {
        const item = d.items[n];
        params[`item${n + 1}`] = plain(item ? `${n + 1}. ${item.text}` : '');
        params[`item${n + 1}Visible`] = flag(open && item !== undefined);
      }
      return params;
    },
  },
  sample: {
    inspectionId: 'INSP-2026-0001',
    unit: { name: '杭州示例石化仓储有限公司' },
    checklist: '易燃易爆场所防雷安全检查表',
    startedAt: '2026-03-01',
    items: [
      { key: 'permit', text: '防雷装置经设计审核、竣工验收后投入使用' },
      { key: 'bonding', text: '储罐、管道、装卸设施等电位连接和跨接完好' },
      { key: 'test-on-time', text: '防雷装置按期检测，检测报告在有效期内' },
    ],
    detailUrl: 'https://leiguard.example.gov.cn/m/inspections/INSP-2026-0001',
  },
});
