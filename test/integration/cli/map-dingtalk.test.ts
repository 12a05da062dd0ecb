// `leiguard map-dingtalk` against the simulator: some mobiles unknown to DingTalk, one account
// already held by someone else, and the process killed in the middle; the next run resumes.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createPerson } from '../../factories';
import { runCli, startCliFixture, type CliFixture } from '../../helpers/cli';

const PEOPLE = 30;
const mobileOf = (i: number) => `1370000${String(i).padStart(4, '0')}`;

describe('leiguard map-dingtalk', () => {
  let fx: CliFixture;
  let db: CliFixture['db'];
  let sim: CliFixture['sim'];
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    // A low quota so the run takes a few seconds and can be killed in the middle.
    fx = await startCliFixture({ DINGTALK_QPS: '6' });
    ({ db, sim, env, dir } = fx);
  });
  afterAll(() => fx.close());

  it('maps found people, lists the unknown ones, and resumes after a crash', async () => {
    // People 0..29 have mobiles; DingTalk knows 0..23; person 23's account is already held by
    // another person (mapped earlier by hand), so it is a conflict.
    const ids: string[] = [];
    for (let i = 0; i < PEOPLE; i++)
      ids.push((await createPerson(db.prisma, { name: `人员${i}`, mobile: mobileOf(i), dingUserId: null })).id);
    await createPerson(db.prisma, { name: '已有账号的人', mobile: null, dingUserId: 'u_map_23' });
    await sim.addUsers(
      Array.from({ length: 24 }, (_, i) => ({ userId: `u_map_${i}`, name: `人员${i}`, mobile: mobileOf(i) })),
    );
    const statsBefore = await sim.stats();

    // First run: killed once the progress bar passes 30 %.
    const crashed = await runCli(['map-dingtalk', '--concurrency', '2'], env, {
      onStderr: (chunk, kill) => {
        if (/ ([3-9]\d)% /.test(chunk)) kill();
      },
    });
    expect(crashed.code).toBeNull(); // killed
    const doneBefore = await db.prisma.dingLookup.count();
    expect(doneBefore).toBeGreaterThanOrEqual(9);
    expect(doneBefore).toBeLessThan(PEOPLE);

    // Second run: only those not done yet.
    const resumed = await runCli(['map-dingtalk', '--report', path.join(dir, 'unmapped.xlsx')], env);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`本次查询 ${PEOPLE - doneBefore} 人`);
    // The person who had a userId but no unionId got it from the user record (to-dos need it).
    expect(crashed.stdout + resumed.stdout).toContain('补全 unionId 1 人');
    const held = await db.prisma.person.findUniqueOrThrow({ where: { dingUserId: 'u_map_23' } });
    expect(held.dingUnionId).toMatch(/^union/);
    expect(await db.prisma.auditEvent.count({ where: { action: 'person.dingtalk_union_filled' } })).toBe(1);
    expect(resumed.stdout).toContain('以下 7 人尚未关联钉钉账号');

    const people = await db.prisma.person.findMany({ where: { id: { in: ids } }, include: { dingLookup: true } });
    const byName = new Map(people.map((p) => [p.name, p]));
    for (let i = 0; i < 23; i++) {
      expect(byName.get(`人员${i}`)).toMatchObject({ dingUserId: `u_map_${i}`, dingLookup: { status: 'FOUND' } });
      expect(byName.get(`人员${i}`)!.dingUnionId).toMatch(/^union/);
    }
    expect(byName.get('人员23')).toMatchObject({
      dingUserId: null,
      dingLookup: { status: 'CONFLICT', dingUserId: 'u_map_23' },
    });
    for (let i = 24; i < PEOPLE; i++)
      expect(byName.get(`人员${i}`)).toMatchObject({ dingUserId: null, dingLookup: { status: 'NOT_FOUND' } });
    expect(await db.prisma.auditEvent.count({ where: { action: 'person.dingtalk_mapped' } })).toBe(23);

    // Each person looked up once, except at most the two in flight when the first run died; the
    // limiter kept every call within the quota.
    const stats = await sim.stats();
    const calls = (api: string) => (stats.apis[api]?.calls ?? 0) - (statsBefore.apis[api]?.calls ?? 0);
    expect(calls('user.getByMobile')).toBeGreaterThanOrEqual(PEOPLE);
    expect(calls('user.getByMobile')).toBeLessThanOrEqual(PEOPLE + 2);
    expect(stats.totals.quotaErrors - statsBefore.totals.quotaErrors).toBe(0);

    // The report names the seven with masked mobiles.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'unmapped.xlsx'));
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map(String)));
    expect(rows).toHaveLength(8);
    expect(
      rows
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(['人员23', '人员24', '人员25', '人员26', '人员27', '人员28', '人员29']);
    expect(rows.find((r) => r[1] === '人员24')![2]).toBe('137****0024');

    // Nothing left; --retry-not-found asks again for the six DingTalk did not know.
    expect((await runCli(['map-dingtalk'], env)).stdout).toContain('本次查询 0 人');
    await sim.addUsers([{ userId: 'u_map_24', name: '人员24', mobile: mobileOf(24) }]);
    const retry = await runCli(['map-dingtalk', '--retry-not-found'], env);
    expect(retry.stdout).toContain('本次查询 6 人，匹配 1，未找到 5');
  });

  it('send-test-notice reaches a mapped person in DingTalk and explains an unmapped one', async () => {
    const sent = await runCli(['send-test-notice', mobileOf(0)], env);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('测试消息已发送给 人员0（钉钉 userId u_map_0');
    const { messages } = await sim.call<{ messages: Array<{ api: string; content?: unknown }> }>(
      'GET',
      '/__sim/messages?userId=u_map_0',
    );
    expect(JSON.stringify(messages)).toContain('雷卫测试消息');
    expect(await db.prisma.auditEvent.count({ where: { action: 'notice.test_sent' } })).toBe(1);

    const unmapped = await runCli(['send-test-notice', mobileOf(29)], env);
    expect(unmapped.code).toBe(1);
    expect(unmapped.stderr).toContain('人员29 尚未关联钉钉账号，请先运行 leiguard map-dingtalk');
    const unknown = await runCli(['send-test-notice', '13999999999'], env);
    expect(unknown.stderr).toContain('找不到人员');
  });
});
