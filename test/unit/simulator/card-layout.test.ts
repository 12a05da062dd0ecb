// Card layout rules (templates/cards/FORMAT.md) and card data rules (reference §4).
import { applyCardUpdate, parseParamMap } from '../../../simulator/cards/card-store';
import {
  cardLayoutSchema,
  findCallbackButton,
  isVisible,
  lookupFor,
  substitute,
} from '../../../simulator/cards/layout';
import { createState, type SimCard } from '../../../simulator/state';

describe('layout', () => {
  const look = lookupFor({ title: '公共', shown: 'true', hidden: 'false' }, { title: '私有' });

  test('private data wins over public data; missing variables are empty', () => {
    expect(substitute('${title}/${ missing }/${shown}', look)).toBe('私有//true');
  });

  test('visibleIf needs exactly "true"', () => {
    expect(isVisible(undefined, look)).toBe(true);
    expect(isVisible('shown', look)).toBe(true);
    expect(isVisible('hidden', look)).toBe(false);
    expect(isVisible('missing', look)).toBe(false);
  });

  test('findCallbackButton prefers a visible button with the actionId', () => {
    const layout = cardLayoutSchema.parse({
      blocks: [
        { type: 'actions', visibleIf: 'hidden', buttons: [{ text: 'A', action: 'callback', actionId: 'go' }] },
        { type: 'actions', buttons: [{ text: 'B', action: 'callback', actionId: 'go', params: { id: '${title}' } }] },
      ],
    });
    expect(findCallbackButton(layout, 'go', look)).toMatchObject({ visible: true, button: { text: 'B' } });
    expect(findCallbackButton(layout, 'nope', look)).toBeUndefined();
  });

  test('schema rejects unknown block types and callback buttons without actionId', () => {
    expect(cardLayoutSchema.safeParse({ blocks: [{ type: 'table' }] }).success).toBe(false);
    expect(
      cardLayoutSchema.safeParse({ blocks: [{ type: 'actions', buttons: [{ text: 'x', action: 'callback' }] }] })
        .success,
    ).toBe(false);
  });
});

describe('card data', () => {
  test('cardParamMap must be string → string within size limits', () => {
    expect(parseParamMap({ cardParamMap: { a: '1' } }, 'cardData')).toEqual({ a: '1' });
    expect(() => parseParamMap({ cardParamMap: { a: 1 } }, 'cardData')).toThrow('必须是字符串');
    expect(() => parseParamMap({ cardParamMap: { a: '雷'.repeat(342) } }, 'cardData')).toThrow('1024');
    expect(parseParamMap({ cardParamMap: { a: '雷'.repeat(341) } }, 'cardData')).toBeDefined();
  });

  test('updates replace by default and merge by key on request', () => {
    const state = createState(7200, 20, {});
    const card: SimCard = {
      outTrackId: 'c',
      appKey: 'k',
      templateId: 't',
      cardData: { a: '1', b: '2' },
      privateData: { u: { x: '1', y: '2' } },
      spaces: [],
      createdAt: 0,
      updatedAt: 0,
      version: 1,
      history: [],
    };
    applyCardUpdate(state, card, { cardData: { c: '3' }, options: {}, source: 'api' });
    expect(card.cardData).toEqual({ c: '3' });
    applyCardUpdate(state, card, {
      cardData: { d: '4' },
      privateData: { u: { y: '9' } },
      options: { updateCardDataByKey: true, updatePrivateDataByKey: true },
      source: 'callback',
      userId: 'u',
    });
    expect(card.cardData).toEqual({ c: '3', d: '4' });
    expect(card.privateData['u']).toEqual({ x: '1', y: '9' });
    expect(card.version).toBe(3);
    expect(card.history.map((h) => h.source)).toEqual(['api', 'callback']);
  });
});
