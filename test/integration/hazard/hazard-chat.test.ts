// Chat commands of the hazard loop (issue #4 parts 1 and 8) on real Postgres: 帮助, unknown text,
// 我的隐患 (open hazards with deadlines, the unit's own or the regulator's jurisdiction), 隐患 <编号>
// (only what the sender may see), and 登记隐患 by a regulator — refused for a unit's manager and
// outside the jurisdiction, with clear answers for bad input, nothing written.
import { answerChat, type ChatDeps } from '../../../bot/inbound/chat-commands';
import { shanghaiDate } from '../../../core/domain/working-days';
import { fileHazard } from '../../../core/hazard/file-hazard';
import { hazardNo } from '../../../core/hazard/hazard-no';
import { createLogger } from '../../../core/logger';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { createWorld, type World } from '../../helpers/fixtures';

let db: TestDatabase;
let w: World;
let other: World;
let deps: ChatDeps;
let after: string[][];
const BASE = 'http://127.0.0.1:3000';
const [REG, MGR] = [0, 1];

beforeAll(async () => {
  db = await createTestDatabase();
  w = await createWorld(db.prisma);
  other = await createWorld(db.prisma);
  // The other world's unit is in another county, outside w's regulator's jurisdiction.
  await db.prisma.region.createMany({
    data: [
      { code: '330200', name: '宁波市', level: 'CITY', parentCode: '330000' },
      { code: '330206', name: '北仑区', level: 'COUNTY', parentCode: '330200' },
    ],
    skipDuplicates: true,
  });
  await db.prisma.unit.update({ where: { id: other.unitId }, data: { regionCode: '330206' } });
  await db.prisma.regulatorOrg.update({ where: { id: other.orgId }, data: { regionCode: '330206' } });
  after = [];
  deps = {
    prisma: db.prisma,
    logger: createLogger({ level: 'silent' }),
    publicBaseUrl: BASE,
    reworkWorkingDays: 5,
    apply: async (e) => void after.push(e.deliveryIds),
  };
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

const say = (world: World, i: number, text: string) =>
  answerChat(deps, world.users[i]!.userId, text).then((a) => a.text);

async function file(world: World, description: string, days: number) {
  const { hazardId } = await fileHazard(
    db.prisma,
    world.regulatorId,
    { unitId: world.unitId, type: 'EARTH_R', grade: 'GENERAL', description, deadlineWorkingDays: days },
    { publicBaseUrl: BASE },
  );
  return db.prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } });
}

test('帮助 lists the commands; unknown text gets the help, not silence; a stranger is told to get bound', async () => {
  expect(await say(w, MGR, '帮助')).toMatch(/我的隐患[\s\S]*隐患 编号[\s\S]*登记隐患/);
  const unknown = await say(w, MGR, '今天天气怎么样');
  expect(unknown).toContain('没有看懂「今天天气怎么样」');
  expect(unknown).toContain('可用指令');
  expect((await answerChat(deps, 'nobody_here', '我的隐患')).text).toContain('未找到您的人员信息');
});

test('我的隐患 lists open hazards with deadlines; 隐患 <编号> shows one the sender may see, and no other', async () => {
  const soon = await file(w, '2 号罐接地电阻 12 Ω', 3);
  const later = await file(w, '3 号罐接地电阻 15 Ω', 12);
  const elsewhere = await file(other, '北仑数据中心接地电阻 9 Ω', 5);

  const mine = await say(w, MGR, '我的隐患');
  expect(mine).toContain(`${hazardNo(soon.id)}`);
  expect(mine).toContain(`整改期限 ${shanghaiDate(soon.deadline)}`);
  // Soonest deadline first; another unit's hazard is not listed.
  expect(mine.indexOf(hazardNo(soon.id))).toBeLessThan(mine.indexOf(hazardNo(later.id)));
  expect(mine).not.toContain(hazardNo(elsewhere.id));
  expect(await say(w, REG, '我的隐患')).toContain(hazardNo(later.id));

  const one = await say(w, MGR, `隐患 ${hazardNo(soon.id)}`);
  expect(one).toContain('2 号罐接地电阻 12 Ω');
  expect(one).toContain(`${BASE}/m/hazards/${soon.id}`);
  expect(await say(w, MGR, `隐患 ${hazardNo(elsewhere.id).toLowerCase()}`)).toContain('没有找到您可查看的隐患');
  expect(await say(w, MGR, '隐患 12345')).toContain('不是有效的隐患编号');
});

test('登记隐患 by a regulator files and notifies; bad input, a manager and another jurisdiction are refused, nothing written', async () => {
  const unit = await db.prisma.unit.findUniqueOrThrow({ where: { id: w.unitId } });
  const outside = await db.prisma.unit.findUniqueOrThrow({ where: { id: other.unitId } });
  const count = () => db.prisma.hazard.count();
  const before = await count();

  expect(await say(w, REG, `登记隐患 ${unit.uscc} 严重 接地电阻超标 10 3号罐接地电阻18.6Ω`)).toContain(
    '隐患等级应为「一般」或「重大」',
  );
  expect(await say(w, REG, `登记隐患 ${unit.uscc} 一般 漏水 10 3号罐接地电阻18.6Ω`)).toContain(
    '不认识隐患类型「漏水」',
  );
  expect(await say(w, REG, `登记隐患 ${unit.uscc} 一般 接地电阻超标 十天 3号罐接地电阻18.6Ω`)).toContain(
    '整改期限应为工作日数',
  );
  expect(await say(w, REG, '登记隐患 91330110MA2H00XXXX 一般 接地电阻超标 10 3号罐接地电阻18.6Ω')).toContain(
    '没有找到统一社会信用代码',
  );
  expect(await say(w, REG, '登记隐患')).toContain('格式：登记隐患');
  expect(await say(w, MGR, `登记隐患 ${unit.uscc} 一般 接地电阻超标 10 3号罐接地电阻18.6Ω`)).toContain(
    '只有气象主管机构执法人员可以登记隐患',
  );
  expect(await say(w, REG, `登记隐患 ${outside.uscc} 一般 接地电阻超标 10 接地电阻超标`)).toContain(
    '不在您所在机构的管辖范围内',
  );
  expect(await count()).toBe(before);

  after.length = 0;
  const ok = await say(
    w,
    REG,
    `登记隐患 ${unit.uscc.toLowerCase()} 重大 竣工验收 20 新建储罐防雷装置未经竣工验收即投入使用`,
  );
  expect(ok).toMatch(/^已登记隐患 \*\*HZ-[0-9A-F]{8}\*\*：.*「未经设计审核\/竣工验收」重大隐患/);
  expect(await count()).toBe(before + 1);
  const filed = await db.prisma.hazard.findFirstOrThrow({ where: { unitId: w.unitId, type: 'NO_PERMIT' } });
  expect(filed).toMatchObject({
    grade: 'MAJOR',
    source: 'ENFORCEMENT',
    deadlineWorkingDays: 20,
    filedById: w.regulatorId,
  });
  // Major: manager card, legal representative card, manager DING; dispatched after commit.
  expect(after).toHaveLength(1);
  const channels = await db.prisma.delivery.findMany({
    where: { id: { in: after[0] }, subjectId: filed.id },
    select: { channel: true, recipientPersonId: true },
  });
  expect(channels).toEqual(
    expect.arrayContaining([
      { channel: 'CARD', recipientPersonId: w.managerId },
      { channel: 'CARD', recipientPersonId: w.legalRepId },
      { channel: 'DING', recipientPersonId: w.managerId },
    ]),
  );
  const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { subjectId: filed.id, action: 'hazard.filed' } });
  expect(audit.actorPersonId).toBe(w.regulatorId);
  expect(audit.data).toMatchObject({ via: 'chat', before: null, after: { status: 'PENDING' } });
});
