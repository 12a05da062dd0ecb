// Every card kind renders, without a tenant template, to DingTalk's 普通版 card JSON
// (templates/standard-card.ts): a header, field rows, markdown, buttons, every component with an
// id; callback buttons call back only where a callback route exists, otherwise (and always for
// actions that need typing) they open the action's mini-app page.
import {
  listTemplates,
  needsTypedInput,
  renderNotice,
  shippedLayouts,
  standardCardData,
  TemplateTooLargeError,
  type CardPayload,
  type StandardCardData,
} from '../../../templates';

const kinds = listTemplates().filter((t) => t.card);
const actionUrl = (id: string) => `https://lg.example.gov.cn/m/cards/lg-1/${id}`;

function buttons(card: StandardCardData) {
  return card.contents.flatMap((c) => (c.type === 'action' ? c.actions : []));
}

function render(kind: string, requests: boolean) {
  const t = kinds.find((k) => k.kind === kind)!;
  const p = renderNotice(kind, t.sample, 'CARD', { standardCards: true }) as CardPayload;
  expect(p.templateId).toBe('StandardCard');
  const layout = shippedLayouts().layouts.get(p.layout)!;
  return { layout, card: standardCardData(layout, { ...p.cardParamMap }, { requests, actionUrl }) };
}

test('every card kind has a 普通版 form: a title, contents and a unique id on every component', () => {
  expect(kinds.length).toBeGreaterThanOrEqual(9);
  for (const t of kinds) {
    for (const requests of [false, true]) {
      const { card } = render(t.kind, requests);
      expect(card.header.title.text.length).toBeGreaterThan(0);
      expect(card.contents.length).toBeGreaterThan(0);
      const ids = [
        ...card.contents.map((c) => c.id),
        ...card.contents.flatMap((c) => (c.type === 'section' ? c.fields.list.map((f) => f.id) : [])),
        ...buttons(card).flatMap((b) => [b.id, b.label.id]),
      ];
      expect(new Set(ids).size).toBe(ids.length);
      expect(JSON.stringify(card)).not.toContain('${');
    }
  }
});

test("without a callback route every action opens its page; with one, request buttons carry the action's id", () => {
  const stream = render('hazard-alert', false).card;
  expect(buttons(stream).map((b) => [b.label.text, b.actionType, b.url?.all.includes('/m/cards/') ?? false])).toEqual(
    expect.arrayContaining([['已知悉', 'openLink', true]]),
  );
  expect(buttons(stream).some((b) => b.actionType === 'request')).toBe(false);
  const http = render('hazard-alert', true).card;
  expect(buttons(http).find((b) => b.label.text === '已知悉')).toMatchObject({ actionType: 'request', id: 'ack' });
  // 驳回 needs a reason, which a 普通版 card cannot take: its page asks for it in both modes.
  expect(needsTypedInput('rectification-verify', 'reject')).toBe(true);
  const verify = render('rectification-verify', true).card;
  expect(buttons(verify).find((b) => b.label.text === '驳回')).toMatchObject({
    actionType: 'openLink',
    url: { all: actionUrl('reject') },
  });
  expect(buttons(verify).find((b) => b.label.text === '通过')).toMatchObject({ actionType: 'request', id: 'approve' });
});

test('blocks and buttons hidden by visibleIf are left out; a note is small grey text', () => {
  const { layout } = render('hazard-alert', false);
  const card = standardCardData(
    layout,
    { title: '【已闭环】甲：重大隐患整改通知', actionsVisible: 'false', statusVisible: 'true', statusText: '已闭环' },
    { requests: false, actionUrl },
  );
  expect(buttons(card)).toEqual([]);
  expect(card.contents).toContainEqual(
    expect.objectContaining({ type: 'markdown', text: '<font color=common_level3_base_color>已闭环</font>' }),
  );
});

test('a card over 15,000 bytes of JSON is refused before it is sent', () => {
  const { layout } = render('hazard-alert', false);
  expect(() =>
    standardCardData(layout, { title: 't', description: '雷'.repeat(6000) }, { requests: false, actionUrl }),
  ).toThrow(TemplateTooLargeError);
});
