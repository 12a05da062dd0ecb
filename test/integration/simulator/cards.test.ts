// card_1_0 through the official SDK (reference §4): createAndDeliver (spaces, duplicate,
// validation) and update (replace vs merge by key).
import {
  CreateAndDeliverHeaders,
  CreateAndDeliverRequest,
  CreateAndDeliverRequestCardData,
  CreateAndDeliverRequestImGroupOpenDeliverModel,
  CreateAndDeliverRequestImRobotOpenDeliverModel,
  PrivateDataValue,
  UpdateCardHeaders,
  UpdateCardRequest,
  UpdateCardRequestCardData,
  UpdateCardRequestCardUpdateOptions,
} from '@alicloud/dingtalk/dist/card_1_0/client';
import type { Simulator } from '../../../simulator';
import { APP, GROUP, LAYOUT, apiToken, http, sdk, sdkFails, startTestSim, rt } from './sim-helpers';

let sim: Simulator;
let token: string;
let n = 0;
beforeAll(async () => {
  sim = await startTestSim();
  token = await apiToken(sim);
});
afterAll(async () => {
  await sim.close();
});

function create(
  over: Partial<CreateAndDeliverRequest> = {},
  cardParamMap: Record<string, string> = {
    title: '隐患通知',
    unitName: '甲单位',
    actionsVisible: 'true',
    hazardId: 'H1',
  },
) {
  return sdk(sim).card.createAndDeliverWithOptions(
    new CreateAndDeliverRequest({
      outTrackId: `card-${++n}`,
      cardTemplateId: LAYOUT.templateId,
      openSpaceId: 'dtv1.card//IM_ROBOT.u-zhang',
      callbackType: 'STREAM',
      cardData: new CreateAndDeliverRequestCardData({ cardParamMap }),
      imRobotOpenDeliverModel: new CreateAndDeliverRequestImRobotOpenDeliverModel({ spaceType: 'IM_ROBOT' }),
      ...over,
    }),
    new CreateAndDeliverHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
}

function update(outTrackId: string, req: Partial<UpdateCardRequest>) {
  return sdk(sim).card.updateCardWithOptions(
    new UpdateCardRequest({ outTrackId, ...req }),
    new UpdateCardHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
}

describe('createAndDeliver', () => {
  test('delivers to a robot 1:1 and a group; unknown users fail per space', async () => {
    const res = await create({
      outTrackId: 'multi-1',
      openSpaceId: `dtv1.card//IM_ROBOT.u-li;IM_GROUP.${GROUP.openConversationId};IM_ROBOT.ghost`,
      imGroupOpenDeliverModel: new CreateAndDeliverRequestImGroupOpenDeliverModel({ robotCode: APP.robotCode }),
      privateData: { 'u-li': new PrivateDataValue({ cardParamMap: { mine: '李娜的备注' } }) },
    });
    expect(res.body!.success).toBe(true);
    expect(res.body!.result!.outTrackId).toBe('multi-1');
    const results = res.body!.result!.deliverResults!.map((d) => [d.spaceType, d.spaceId, d.success]);
    expect(results).toEqual([
      ['IM_ROBOT', 'u-li', true],
      ['IM_GROUP', GROUP.openConversationId, true],
      ['IM_ROBOT', 'ghost', false],
    ]);
    const card = await http(sim, 'GET', '/__sim/cards/multi-1');
    expect(card.body).toMatchObject({
      templateId: LAYOUT.templateId,
      cardData: { title: '隐患通知' },
      privateData: { 'u-li': { mine: '李娜的备注' } },
      template: { layout: { blocks: expect.any(Array) } },
    });
    const msgs = await http<{ messages: Array<{ outTrackId?: string }> }>(
      sim,
      'GET',
      '/__sim/messages?api=card.createAndDeliver',
    );
    expect(msgs.body.messages.filter((m) => m.outTrackId === 'multi-1')).toHaveLength(2);
  });

  test('a duplicate outTrackId is 400 param.cardAlreadyExist, or a quiet success when switched', async () => {
    await create({ outTrackId: 'dup-1' });
    const err = await sdkFails(create({ outTrackId: 'dup-1' }));
    expect(err.data.statusCode).toBe(400);
    expect(err.code).toBe('param.cardAlreadyExist');
    await http(sim, 'PUT', '/__sim/settings', { cardDuplicate: 'idempotent' });
    const again = await create({ outTrackId: 'dup-1' }, { title: '不会生效' });
    expect(again.body!.success).toBe(true);
    expect((await http(sim, 'GET', '/__sim/cards/dup-1')).body).toMatchObject({ cardData: { title: '隐患通知' } });
    await http(sim, 'PUT', '/__sim/settings', { cardDuplicate: 'error' });
  });

  test.each([
    ['unknown template', { cardTemplateId: 'nope.v1' }, undefined, 'param.templateNotExist'],
    ['missing outTrackId', { outTrackId: '' }, undefined, 'param.outTrackIdEmpty'],
    ['bad openSpaceId', { openSpaceId: 'IM_ROBOT.u-zhang' }, undefined, 'param.openSpaceIdInvalid'],
    ['no deliver model', { imRobotOpenDeliverModel: undefined }, undefined, 'param.openDeliverModelEmpty'],
    [
      'group without robotCode',
      {
        openSpaceId: `dtv1.card//IM_GROUP.${GROUP.openConversationId}`,
        imGroupOpenDeliverModel: new CreateAndDeliverRequestImGroupOpenDeliverModel({}),
      },
      undefined,
      'param.openDeliverModelError',
    ],
    ['value over 1 KB', {}, { title: 'x'.repeat(1025) }, 'param.invalid'],
    ['key over 100 B', {}, { ['k'.repeat(101)]: 'v' }, 'param.invalid'],
  ])('%s → 400', async (_label, over, map, code) => {
    const err = await sdkFails(create(over as Partial<CreateAndDeliverRequest>, map));
    expect(err.data.statusCode).toBe(400);
    expect(err.code).toBe(code);
  });

  test('non-string cardParamMap values are rejected (raw HTTP, the SDK types forbid them)', async () => {
    const res = await http(
      sim,
      'POST',
      '/v1.0/card/instances/createAndDeliver',
      {
        outTrackId: 'num-1',
        cardTemplateId: LAYOUT.templateId,
        openSpaceId: 'dtv1.card//IM_ROBOT.u-zhang',
        imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' },
        cardData: { cardParamMap: { count: 3 } },
      },
      { 'x-acs-dingtalk-access-token': token },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'param.invalid' });
  });
});

describe('update', () => {
  test('replaces the whole map by default and merges by key when asked', async () => {
    // Three updates back to back: the per-card limit (its own test below) is off here.
    await http(sim, 'PUT', '/__sim/settings', { cardUpdatesPerCard: null });
    await create({
      outTrackId: 'upd-1',
      privateData: { 'u-zhang': new PrivateDataValue({ cardParamMap: { mine: 'a', other: 'b' } }) },
    });
    await update('upd-1', { cardData: new UpdateCardRequestCardData({ cardParamMap: { statusText: '已处理' } }) });
    let card = await http<{
      cardData: Record<string, string>;
      privateData: Record<string, Record<string, string>>;
      history: unknown[];
    }>(sim, 'GET', '/__sim/cards/upd-1');
    expect(card.body.cardData).toEqual({ statusText: '已处理' });

    await update('upd-1', {
      cardData: new UpdateCardRequestCardData({ cardParamMap: { title: '新标题' } }),
      privateData: { 'u-zhang': new PrivateDataValue({ cardParamMap: { mine: 'c' } }) },
      cardUpdateOptions: new UpdateCardRequestCardUpdateOptions({
        updateCardDataByKey: true,
        updatePrivateDataByKey: true,
      }),
    });
    card = await http(sim, 'GET', '/__sim/cards/upd-1');
    expect(card.body.cardData).toEqual({ statusText: '已处理', title: '新标题' });
    expect(card.body.privateData['u-zhang']).toEqual({ mine: 'c', other: 'b' });

    await update('upd-1', { privateData: { 'u-zhang': new PrivateDataValue({ cardParamMap: { mine: 'd' } }) } });
    card = await http(sim, 'GET', '/__sim/cards/upd-1');
    expect(card.body.privateData['u-zhang']).toEqual({ mine: 'd' });
    expect(card.body.history).toHaveLength(4);
  });

  test('one card takes cardUpdatesPerCard updates per window; the next is refused as over quota', async () => {
    await http(sim, 'PUT', '/__sim/settings', { cardUpdatesPerCard: { max: 2, windowMs: 60_000 } });
    await create({ outTrackId: 'upd-limit' });
    await create({ outTrackId: 'upd-other' });
    const set = (id: string, v: string) =>
      update(id, { cardData: new UpdateCardRequestCardData({ cardParamMap: { statusText: v } }) });
    const stats = async () =>
      (
        await http<{ apis: Record<string, { quotaErrors: number; perCardRefusals: number }> }>(
          sim,
          'GET',
          '/__sim/stats',
        )
      ).body.apis['card.update']!;
    const before = await stats();
    await set('upd-limit', '一');
    await set('upd-limit', '二');
    const err = await sdkFails(set('upd-limit', '三'));
    expect(err.data.statusCode).toBe(403);
    expect(err.code).toBe('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
    // The refused update changed nothing; another card is not affected.
    const card = await http<{ cardData: Record<string, string>; history: unknown[] }>(
      sim,
      'GET',
      '/__sim/cards/upd-limit',
    );
    expect(card.body.cardData.statusText).toBe('二');
    expect(card.body.history).toHaveLength(3);
    await set('upd-other', '一');
    const after = await stats();
    expect(after.perCardRefusals - before.perCardRefusals).toBe(1);
    expect(after.quotaErrors - before.quotaErrors).toBe(1);
    // Off: any number.
    await http(sim, 'PUT', '/__sim/settings', { cardUpdatesPerCard: null });
    await set('upd-limit', '三');
  });

  test('unknown card → 400 param.cardNotExist; nothing to update → 400', async () => {
    const err = await sdkFails(
      update('never-created', { cardData: new UpdateCardRequestCardData({ cardParamMap: { a: 'b' } }) }),
    );
    expect(err.data.statusCode).toBe(400);
    expect(err.code).toBe('param.cardNotExist');
    await create({ outTrackId: 'upd-2' });
    expect((await sdkFails(update('upd-2', rt()))).code).toBe('param.cardDataAndPrivateDataBothEmpty');
  });
});
