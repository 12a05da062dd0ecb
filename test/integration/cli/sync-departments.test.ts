// `leiguard sync-departments` against the simulator's contact tree: departments linked to bureaus
// by name (then by id, so a rename keeps the link), regulators and leaders moved to the bureau of
// their department (a 科室 counts for the bureau above it, the deepest department wins), an
// ambiguous name linked to nothing, a dry run that writes nothing, and a second run that changes
// nothing.
import { createOrg, createPerson } from '../../factories';
import { runCli, startCliFixture, type CliFixture } from '../../helpers/cli';

describe('leiguard sync-departments', () => {
  let fx: CliFixture;
  let db: CliFixture['db'];
  let sim: CliFixture['sim'];
  let env: Record<string, string>;

  beforeAll(async () => {
    fx = await startCliFixture();
    ({ db, sim, env } = fx);
  });
  afterAll(() => fx.close());

  it('links departments to bureaus and moves regulators and leaders to their bureau', async () => {
    const p = db.prisma;
    const city = await createOrg(p, { regionCode: '330100', name: '杭州市气象局' });
    const yuhang = await createOrg(p, { regionCode: '330110', name: '杭州市余杭区气象局', parentId: city.id });
    const xihu = await createOrg(p, { regionCode: '330106', name: '杭州市西湖区气象局', parentId: city.id });
    // Two bureaus carry the same name (an import mistake): their department is linked to neither.
    const twinA = await createOrg(p, { regionCode: '330109', name: '杭州市萧山区气象局', parentId: city.id });
    const twinB = await createOrg(p, { regionCode: '330109', name: '杭州市萧山区气象局', parentId: city.id });
    await sim.call('POST', '/__sim/departments', {
      departments: [
        { deptId: 2, name: '杭州市气象局', parentId: 1 },
        { deptId: 3, name: '杭州市 余杭区气象局', parentId: 2 }, // white space differs
        { deptId: 4, name: '法规科', parentId: 3 },
        { deptId: 5, name: '杭州市西湖区气象局', parentId: 2 },
        { deptId: 6, name: '杭州市萧山区气象局', parentId: 2 },
        { deptId: 7, name: '办公室', parentId: 1 },
      ],
    });
    const person = (
      name: string,
      roles: Array<'REGULATOR' | 'LEADER' | 'UNIT_MANAGER'>,
      orgId: string | null,
      userId: string,
    ) => createPerson(p, { name, roles, orgId, dingUserId: userId, mobile: null });
    const moved = await person('周执法', ['REGULATOR'], city.id, 'u_d_zhou'); // in 余杭, filed under the city
    const section = await person('吴法规', ['REGULATOR'], null, 'u_d_wu'); // in 法规科 under 余杭
    const leader = await person('钱领导', ['LEADER'], city.id, 'u_d_qian'); // in the city and 西湖: 西湖 is deeper
    const settled = await person('孙科长', ['REGULATOR'], city.id, 'u_d_sun'); // in the city, filed there
    const absent = await person('郑不在', ['REGULATOR'], yuhang.id, 'u_d_zheng'); // in no linked department
    const twinMember = await person('冯萧山', ['REGULATOR'], twinA.id, 'u_d_feng'); // in the ambiguous one
    const manager = await person('陈负责人', ['UNIT_MANAGER'], null, 'u_d_chen'); // not a regulator
    await sim.call('POST', '/__sim/users', {
      users: [
        { userId: 'u_d_zhou', name: '周执法', deptIds: [3] },
        { userId: 'u_d_wu', name: '吴法规', deptIds: [4] },
        { userId: 'u_d_qian', name: '钱领导', deptIds: [2, 5] },
        { userId: 'u_d_sun', name: '孙科长', deptIds: [2] },
        { userId: 'u_d_zheng', name: '郑不在', deptIds: [7] },
        { userId: 'u_d_feng', name: '冯萧山', deptIds: [6] },
        { userId: 'u_d_chen', name: '陈负责人', deptIds: [3] },
        { userId: 'u_d_stranger', name: '未登记', deptIds: [5] },
      ],
    });
    const orgOf = async (id: string) => (await p.person.findUniqueOrThrow({ where: { id } })).orgId;
    const audits = () => p.auditEvent.count();

    // Dry run: the plan, nothing written.
    const dry = await runCli(['sync-departments', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      '（试运行，未写入）钉钉部门同步完成：遍历部门 6 个，关联到机构 3 个（本次将新关联 3 个），本次将调整人员所属机构 3 人。',
    );
    expect(await audits()).toBe(0);
    expect(await p.regulatorOrg.count({ where: { dingDeptId: { not: null } } })).toBe(0);

    const run = await runCli(['sync-departments'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('遍历部门 6 个，关联到机构 3 个（本次已新关联 3 个），本次已调整人员所属机构 3 人。');
    expect(run.stdout).toContain(
      `杭州市气象局 / 杭州市萧山区气象局（部门 6）：机构 ${[twinA.id, twinB.id].sort().join('、')}`,
    );
    expect(run.stdout).toContain('办公室（部门 7）');
    expect(run.stdout).toContain('杭州市气象局 / 杭州市 余杭区气象局（部门 3）→ 杭州市余杭区气象局');
    expect(run.stdout).toContain('钱领导：杭州市气象局 → 杭州市西湖区气象局（部门 5）');
    expect(run.stdout).toContain('u_d_stranger');
    expect(run.stdout).toContain(`郑不在（${absent.id}）`);
    expect(run.stdout).toContain(`冯萧山（${twinMember.id}）`);

    const linked = await p.regulatorOrg.findMany({
      where: { dingDeptId: { not: null } },
      select: { id: true, dingDeptId: true },
    });
    expect(Object.fromEntries(linked.map((o) => [o.id, o.dingDeptId]))).toEqual({
      [city.id]: '2',
      [yuhang.id]: '3',
      [xihu.id]: '5',
    });
    expect(await orgOf(moved.id)).toBe(yuhang.id);
    expect(await orgOf(section.id)).toBe(yuhang.id);
    expect(await orgOf(leader.id)).toBe(xihu.id);
    expect(await orgOf(settled.id)).toBe(city.id);
    expect(await orgOf(absent.id)).toBe(yuhang.id);
    expect(await orgOf(twinMember.id)).toBe(twinA.id);
    expect(await orgOf(manager.id)).toBeNull();
    const events = await p.auditEvent.findMany({
      orderBy: { id: 'asc' },
      select: { action: true, subjectId: true, data: true },
    });
    expect(
      events
        .filter((e) => e.action === 'org.dingtalk_linked')
        .map((e) => e.subjectId)
        .sort(),
    ).toEqual([city.id, yuhang.id, xihu.id].sort());
    expect(events.filter((e) => e.action === 'person.org_synced')).toEqual(
      expect.arrayContaining([
        {
          action: 'person.org_synced',
          subjectId: moved.id,
          data: { before: { orgId: city.id }, after: { orgId: yuhang.id }, dingDeptId: '3' },
        },
        {
          action: 'person.org_synced',
          subjectId: section.id,
          data: { before: { orgId: null }, after: { orgId: yuhang.id }, dingDeptId: '3' },
        },
        {
          action: 'person.org_synced',
          subjectId: leader.id,
          data: { before: { orgId: city.id }, after: { orgId: xihu.id }, dingDeptId: '5' },
        },
      ]),
    );
    expect(events).toHaveLength(6);

    // A renamed department stays linked by its id; a second run changes nothing.
    await sim.call('POST', '/__sim/departments', {
      departments: [{ deptId: 3, name: '余杭区气象局（新址）', parentId: 2 }],
    });
    const again = await runCli(['sync-departments'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('关联到机构 3 个（本次已新关联 0 个），本次已调整人员所属机构 0 人。');
    expect(await audits()).toBe(6);

    // A root DingTalk does not know: DingTalk's answer, exit 1, nothing written.
    const bad = await runCli(['sync-departments', '--root', '999'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('部门不存在');
    expect(await audits()).toBe(6);
    const usage = await runCli(['sync-departments', '--root', 'abc'], env);
    expect(usage.code).toBe(2);
    expect(usage.stdout + usage.stderr).toContain('--root 必须是正整数的钉钉部门 ID');
    // Five CLI processes, each starting Node and tsx: over a minute on a loaded 2-core machine.
  }, 300_000);
});
