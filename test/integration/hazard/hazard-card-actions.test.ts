// Issue #4 "Permissions and bad input" on cards: clicks by people who may not act are refused on
// the card, change nothing and are audited; a duplicated callback or a click on a card whose
// hazard moved on gets a clear answer and changes nothing. Real Postgres, the real card handler,
// templates and card data; the callback payloads are what DingTalk sends.
import { handleCardAction, type CardActionDeps } from '../../../bot/inbound/card-actions';
import { fileHazard } from '../../../core/hazard/file-hazard';
import { submitRectification } from '../../../core/hazard/rectification';
import { createLogger } from '../../../core/logger';
import { renderNotice } from '../../../templates';
import { cardDataBuilder } from '../../../workflows/notify/card-data';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { createWorld, type World } from '../../helpers/fixtures';

let db: TestDatabase;
let w: World;
let deps: CardActionDeps;
let after: string[];
const BASE = 'http://127.0.0.1:3000';

beforeAll(async () => {
  db = await createTestDatabase();
  w = await createWorld(db.prisma);
  after = [];
  deps = {
    prisma: db.prisma,
    logger: createLogger({ level: 'silent' }),
    publicBaseUrl: BASE,
    render: (kind, data) => renderNotice(kind, data, 'CARD'),
    buildCardData: (kind, id) => cardDataBuilder(kind)(db.prisma, id, { publicBaseUrl: BASE }),
    reworkWorkingDays: 5,
    apply: async (e) => void after.push(...(e.refresh ?? []).map((s) => s.subjectId)),
  };
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

/** A hazard with a submitted rectification, its alert and verify cards recorded as sent. */
async function submitted(tag: string) {
  const { hazardId } = await fileHazard(
    db.prisma,
    w.regulatorId,
    {
      unitId: w.unitId,
      type: 'SPD_FAIL',
      grade: 'GENERAL',
      description: `配电箱 SPD 劣化 ${tag}`,
      deadlineWorkingDays: 10,
    },
    { publicBaseUrl: BASE },
  );
  const { rectificationId } = await submitRectification(
    db.prisma,
    w.managerId,
    hazardId,
    { description: '已更换 SPD 模块', photos: [{ url: `${BASE}/api/m/uploads/a.jpg` }] },
    { publicBaseUrl: BASE, via: 'api' },
  );
  const alert = `lg-alert-${tag}`;
  const verify = `lg-verify-${tag}`;
  await db.prisma.cardInstance.createMany({
    data: [
      {
        outTrackId: alert,
        kind: 'hazard-alert',
        subjectType: 'hazard',
        subjectId: hazardId,
        recipientPersonId: w.managerId,
        templateId: 't',
        data: {},
      },
      {
        outTrackId: verify,
        kind: 'rectification-verify',
        subjectType: 'rectification',
        subjectId: rectificationId,
        recipientPersonId: w.regulatorId,
        templateId: 't',
        data: {},
      },
    ],
  });
  return { hazardId, rectificationId, alert, verify };
}

const click = (outTrackId: string, userId: string, action: string, params: Record<string, string> = {}) => ({
  type: 'actionCallback',
  outTrackId,
  userId,
  content: JSON.stringify({ cardPrivateData: { actionIds: [action], params } }),
});

async function snapshot(hazardId: string) {
  const h = await db.prisma.hazard.findUniqueOrThrow({ where: { id: hazardId }, include: { rectifications: true } });
  return { status: h.status, version: h.version, decisions: h.rectifications.map((r) => r.decision) };
}

test('a non-regulator and an out-of-jurisdiction regulator are refused on the verify card, audited, nothing changes', async () => {
  const { hazardId, verify } = await submitted('perm');
  await db.prisma.region.createMany({
    data: [
      { code: '330200', name: '宁波市', level: 'CITY', parentCode: '330000' },
      { code: '330206', name: '北仑区', level: 'COUNTY', parentCode: '330200' },
    ],
    skipDuplicates: true,
  });
  const outsideOrg = await db.prisma.regulatorOrg.create({
    data: { name: '宁波市北仑区气象局', regionCode: '330206' },
  });
  await db.prisma.person.create({
    data: { name: '赵外区', roles: ['REGULATOR'], orgId: outsideOrg.id, dingUserId: `out_${hazardId.slice(0, 6)}` },
  });
  const before = await snapshot(hazardId);

  const byManager = await handleCardAction(deps, click(verify, w.users[1]!.userId, 'approve'));
  expect(byManager.userPrivateData?.cardParamMap.statusText).toContain('执法人员');
  const byOutsider = await handleCardAction(deps, click(verify, `out_${hazardId.slice(0, 6)}`, 'approve'));
  expect(byOutsider.userPrivateData?.cardParamMap.statusText).toContain('不在您所在机构的管辖范围内');
  const rejectByOutsider = await handleCardAction(deps, click(verify, `out_${hazardId.slice(0, 6)}`, 'reject'));
  expect(rejectByOutsider.userPrivateData?.cardParamMap.statusText).toContain('管辖范围');

  expect(await snapshot(hazardId)).toEqual(before);
  const refused = await db.prisma.auditEvent.findMany({
    where: { action: 'card.action.refused', subjectId: { not: '' } },
    orderBy: { id: 'asc' },
  });
  expect(refused.map((e) => (e.data as { code: string }).code)).toEqual([
    'NOT_REGULATOR',
    'OUT_OF_JURISDICTION',
    'OUT_OF_JURISDICTION',
  ]);
});

test('a regulator may not acknowledge for the unit: refused on the card and audited', async () => {
  const { hazardId, alert } = await submitted('ack');
  const byRegulator = await handleCardAction(deps, click(alert, w.users[0]!.userId, 'ack'));
  expect(byRegulator.userPrivateData?.cardParamMap.statusText).toContain('只有该单位的负责人或法定代表人');
  expect(await db.prisma.hazardAck.count({ where: { hazardId } })).toBe(0);
  expect(await db.prisma.auditEvent.count({ where: { action: 'card.action.refused', subjectId: hazardId } })).toBe(1);
});

test('a duplicated 通过 callback closes once; the second answers 无需重复操作 and changes nothing', async () => {
  const { hazardId, verify } = await submitted('dup');
  const first = await handleCardAction(deps, click(verify, w.users[0]!.userId, 'approve'));
  expect(first.cardData?.cardParamMap.statusText).toContain('复核通过');
  expect(first.cardData?.cardParamMap).toMatchObject({
    title: expect.stringMatching(/^【复核通过】整改复核：/),
    headerColor: 'green',
  });
  const closed = await snapshot(hazardId);
  expect(closed.status).toBe('CLOSED');
  const second = await handleCardAction(deps, click(verify, w.users[0]!.userId, 'approve'));
  expect(second.userPrivateData?.cardParamMap.statusText).toContain('无需重复操作');
  expect(second.cardData).toBeUndefined();
  expect(await snapshot(hazardId)).toEqual(closed);
  expect(await db.prisma.auditEvent.count({ where: { action: 'hazard.closed', subjectId: hazardId } })).toBe(1);
  // 驳回 on a decided card: nothing to ask for any more.
  const late = await handleCardAction(deps, click(verify, w.users[0]!.userId, 'reject'));
  expect(late.userPrivateData?.cardParamMap.statusText).toContain('无需重复操作');
});

test('驳回 on the card asks for the reason and changes nothing; a click on a superseded submission is refused', async () => {
  const { hazardId, verify } = await submitted('stale');
  const ask = await handleCardAction(deps, click(verify, w.users[0]!.userId, 'reject'));
  expect(ask.userPrivateData?.cardParamMap.statusText).toMatch(/驳回 HZ-[0-9A-F]{8} 理由/);
  expect((await snapshot(hazardId)).status).toBe('SUBMITTED');
  // The submission is rejected elsewhere (chat), the unit submits again: the old card is stale.
  const { verifyRectification } = await import('../../../core/hazard/rectification');
  const old = await db.prisma.rectification.findFirstOrThrow({ where: { hazardId } });
  await verifyRectification(
    db.prisma,
    w.regulatorId,
    old.id,
    { decision: 'REJECTED', reason: '照片不清晰' },
    { publicBaseUrl: BASE, via: 'chat', reworkWorkingDays: 5 },
  );
  await submitRectification(
    db.prisma,
    w.managerId,
    hazardId,
    { description: '补充清晰照片', photos: [{ url: `${BASE}/api/m/uploads/b.jpg` }] },
    { publicBaseUrl: BASE, via: 'api' },
  );
  const before = await snapshot(hazardId);
  const stale = await handleCardAction(deps, click(verify, w.users[0]!.userId, 'approve'));
  expect(stale.userPrivateData?.cardParamMap.statusText).toContain('复核驳回');
  expect(await snapshot(hazardId)).toEqual(before);
});

test('驳回 with the reason typed in the card rejects at once: back to 整改中 with the reason on record', async () => {
  const { hazardId, rectificationId, verify } = await submitted('reason');
  const res = await handleCardAction(deps, click(verify, w.users[0]!.userId, 'reject', { reason: '照片看不清焊点' }));
  expect(res.cardData?.cardParamMap).toMatchObject({
    statusText: expect.stringContaining('已驳回'),
    title: expect.stringMatching(/^【已驳回】整改复核：/),
    headerColor: 'red',
  });
  expect((await snapshot(hazardId)).status).toBe('FIXING');
  expect(await db.prisma.rectification.findUniqueOrThrow({ where: { id: rectificationId } })).toMatchObject({
    decision: 'REJECTED',
    rejectReason: '照片看不清焊点',
  });
  const audit = await db.prisma.auditEvent.findFirstOrThrow({
    where: { subjectId: hazardId, action: 'hazard.rectification.rejected' },
  });
  expect(audit.data).toMatchObject({
    via: 'card',
    reason: '照片看不清焊点',
    before: { status: 'SUBMITTED' },
    after: { status: 'FIXING' },
  });
});

test('a self-check card submitted by someone other than the unit manager is refused, audited, nothing written', async () => {
  const { startSelfChecks } = await import('../../../core/inspection/self-check');
  const run = await startSelfChecks(db.prisma, { intervalDays: 180, publicBaseUrl: BASE });
  const inspectionId = run.inspectionIds[0]!;
  await db.prisma.cardInstance.create({
    data: {
      outTrackId: 'lg-self-check',
      kind: 'self-check',
      subjectType: 'inspection',
      subjectId: inspectionId,
      recipientPersonId: w.managerId,
      templateId: 't',
      data: {},
    },
  });
  const forged = await handleCardAction(
    deps,
    click('lg-self-check', w.users[0]!.userId, 'submit', {
      a1: 'FAIL',
      a2: 'FAIL',
      a3: 'FAIL',
      a4: 'FAIL',
      a5: 'FAIL',
      a6: 'FAIL',
    }),
  );
  expect(forged.userPrivateData?.cardParamMap.statusText).toBe('只有该单位的负责人可以提交自查');
  expect((await db.prisma.inspection.findUniqueOrThrow({ where: { id: inspectionId } })).status).toBe('IN_PROGRESS');
  expect(await db.prisma.auditEvent.count({ where: { action: 'card.action.refused', subjectId: inspectionId } })).toBe(
    1,
  );
  // A bad answer value is refused like a missing one.
  const bad = await handleCardAction(deps, click('lg-self-check', w.users[1]!.userId, 'submit', { a1: 'MAYBE' }));
  expect(bad.userPrivateData?.cardParamMap.statusText).toContain('第 1 项');
  expect(await db.prisma.inspectionItemResult.count({ where: { inspectionId } })).toBe(0);
});
