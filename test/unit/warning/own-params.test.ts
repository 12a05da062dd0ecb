// A shared warning card's private data is built from a unit's own fields (issue #20), not from a
// card rendered per recipient: it must equal what the whole card shows for those variables.
import { getTemplate, renderNotice, type CardPayload } from '../../../templates';
import { lightningWarningOwnParams } from '../../../templates/notices/lightning-warning';

const sample = getTemplate('lightning-warning').sample as Record<string, unknown>;

const cases: Array<[string, Record<string, unknown>]> = [
  ['a unit with its precautions', { ...sample, level: 'RED', extraAdvice: ['立即停止装卸、灌装、动火等露天作业'] }],
  [
    'a unit that answered',
    {
      ...sample,
      status: { text: '已收到（张三 14:35 确认）', actionsVisible: false, state: { label: '已收到', tone: 'green' } },
    },
  ],
  ['a reminder', { ...sample, status: { text: '截至 14:40 贵单位仍未确认收到', actionsVisible: true } }],
  ['no unit', { ...sample, unit: undefined, extraAdvice: [] }],
];

test.each(cases)('the own part of %s is what the whole card shows', (_name, data) => {
  const card = renderNotice('lightning-warning', data, 'CARD') as CardPayload;
  const own = lightningWarningOwnParams({
    level: data.level as 'RED',
    unit: data.unit as { name: string } | undefined,
    extraAdvice: (data.extraAdvice as string[]) ?? [],
    status: data.status as never,
  });
  expect(Object.keys(own).sort()).toEqual(
    ['actionsVisible', 'advice', 'headerColor', 'levelBadge', 'statusText', 'statusVisible', 'title'].sort(),
  );
  for (const [k, v] of Object.entries(own)) expect([k, v]).toEqual([k, card.cardParamMap[k]]);
});
