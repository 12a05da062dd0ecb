// Bad card callbacks (issue #2 "Bad input"): malformed, unknown card, unknown person, unknown
// action — each gets a clear Chinese answer on the card and changes nothing.
import { handleCardAction, type CardActionDeps } from '../../../bot/inbound/card-actions';
import { createLogger } from '../../../core/logger';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { createWorld, type World } from '../../helpers/fixtures';

let db: TestDatabase;
let world: World;
let deps: CardActionDeps;
let refreshed: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  world = await createWorld(db.prisma);
  const hazard = await db.prisma.hazard.create({
    data: {
      unitId: world.unitId,
      source: 'TEST',
      type: 'EARTH_R',
      grade: 'GENERAL',
      description: '接地电阻超标',
      foundAt: new Date(),
      deadline: new Date(Date.now() + 864e5),
    },
  });
  await db.prisma.cardInstance.create({
    data: {
      outTrackId: 'lg-input-test',
      kind: 'hazard-alert',
      subjectType: 'hazard',
      subjectId: hazard.id,
      recipientPersonId: world.managerId,
      templateId: 't',
      data: {},
    },
  });
  refreshed = [];
  deps = {
    prisma: db.prisma,
    logger: createLogger({ level: 'silent' }),
    publicBaseUrl: 'http://127.0.0.1',
    render: () => ({ cardParamMap: {} }),
    reworkWorkingDays: 5,
    apply: async (e) => void refreshed.push(...(e.refresh ?? []).map((s) => s.subjectId)),
    buildCardData: async () => ({}),
  };
});
afterAll(async () => {
  await db?.drop();
});

async function nothingChanged(): Promise<void> {
  expect(await db.prisma.hazardAck.count()).toBe(0);
  expect(await db.prisma.auditEvent.count()).toBe(0);
  expect(refreshed).toEqual([]);
}

const click = (over: Record<string, unknown>) => ({
  type: 'actionCallback',
  outTrackId: 'lg-input-test',
  userId: world.users[1].userId,
  content: JSON.stringify({ cardPrivateData: { actionIds: ['ack'], params: {} } }),
  ...over,
});

test.each([
  ['not an object', () => 'garbage', '无法识别的卡片操作'],
  ['content is not JSON', () => click({ content: '{oops' }), '无法识别的卡片操作'],
  [
    'content without actionIds',
    () => click({ content: JSON.stringify({ cardPrivateData: { params: {} } }) }),
    '无法识别的卡片操作',
  ],
  ['unknown card', () => click({ outTrackId: 'lg-unknown' }), '该卡片已失效'],
  ['unknown person', () => click({ userId: 'nobody' }), '未找到您的人员信息'],
  [
    'unknown action',
    () => click({ content: JSON.stringify({ cardPrivateData: { actionIds: ['explode'], params: {} } }) }),
    '暂不支持该操作',
  ],
])('%s: answered on the card, nothing changed', async (_name, input, text) => {
  const res = await handleCardAction(deps, input());
  expect(res.userPrivateData?.cardParamMap.statusText).toContain(text);
  expect(res.cardData).toBeUndefined();
  await nothingChanged();
});
