// A bureau goes live (issue #18 "Done when"): from an empty Postgres database, through the real CLI
// binary only, as the README's "Going live" section has it: `doctor` on the empty database says to
// migrate; `regions load`; `import-template` writes the workbook, which is filled as an operator
// would and imported (in one run: one workbook with the units sheet before the bureaus sheet; in
// the other: units in one import, their bureau in a later one, and `directory check` shows the gap
// until then); `map-dingtalk` finds the people in DingTalk (the simulator); `directory check` and
// `doctor` pass with exit 0. Then the service starts (`app/main.ts` as `npm start` runs it, against
// the same database) and the regulator files a hazard on the mini-app's 「登记隐患」 page in headless
// Chromium; its card reaches the unit's manager in the simulator. Last, with a permission revoked
// and then with a wrong AppSecret, `doctor` shows its ✗ lines with what to do and exits 1.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { registerCardTemplates } from '../../app/embedded';
import { freePort } from '../../app/redis';
import { generateUscc } from '../../core/domain/uscc';
import { hazardNo } from '../../core/hazard/hazard-no';
import { assertChromium, launchChromium } from '../helpers/browser';
import { runCli, startCliFixture, type CliFixture } from '../helpers/cli';
import { screenshotter } from '../helpers/output';
import { startLeiGuardProcess, stopProcess } from '../helpers/process';
import { waitFor } from '../helpers/wait';

// Two CLI runs of a dozen commands, a service start and a browser, twice, on a shared machine.
jest.setTimeout(900_000);

const BUREAU = '杭州市余杭区气象局';
const MANAGER = { userId: 'u_golive_chen', name: '陈晓峰', mobile: '13700000081' };
const REGULATOR = { userId: 'u_golive_zhou', name: '周志远', mobile: '13700000082' };

/** The operator's rows, in the template's columns (see the header comments of each sheet). */
function rows(depot: string, cinema: string) {
  return {
    机构: [[BUREAU, '330110 余杭区', '']],
    重点单位: [
      [depot, '余杭示例油库', '330110 余杭区', '杭州市余杭区示例路 81 号', '易燃易爆场所', '1', '是', '2026-04-15'],
      [cinema, '余杭示例影院', '330110 余杭区', '杭州市余杭区示例路 82 号', '人员密集场所', '3', '否', ''],
    ],
    单位及检测机构人员: [[MANAGER.name, MANAGER.mobile, '重点单位负责人', '安全科科长', '', depot]],
    监管人员: [[REGULATOR.name, REGULATOR.mobile, '执法人员', '', '', BUREAU, '330110']],
  } as Record<string, string[][]>;
}

/** Opens the template, writes `fill` over its example rows, drops the sheets not kept, saves it. */
async function fillTemplate(
  template: string,
  out: string,
  fill: Record<string, string[][]>,
  order: string[],
): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  for (const ws of [...wb.worksheets]) {
    if (['填写说明', '代码表'].includes(ws.name)) continue;
    const data = fill[ws.name];
    if (!data) {
      wb.removeWorksheet(ws.id);
      continue;
    }
    data.forEach((values, i) => (ws.getRow(2 + i).values = values));
  }
  // The sheets in the order given (e.g. 重点单位 before 机构), the helper sheets around them: ExcelJS
  // writes them by orderNo (a property its typings leave out).
  const kept = ['填写说明', ...order, '代码表'];
  for (const ws of wb.worksheets) (ws as ExcelJS.Worksheet & { orderNo: number }).orderNo = kept.indexOf(ws.name);
  await wb.xlsx.writeFile(out);
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(out);
  return back.worksheets.map((w) => w.name);
}

describe.each([
  ['one workbook, the units sheet before the bureaus sheet', 'one'],
  ['units imported first, their bureau in a later import', 'split'],
] as const)('a bureau goes live: %s', (_title, mode) => {
  let fx: CliFixture;
  let service: ChildProcess | undefined;
  let browser: Browser | undefined;
  const shot = screenshotter(`going-live-${mode}`);
  const depot = generateUscc('330110', mode === 'one' ? 8101 : 8201);
  const cinema = generateUscc('330110', mode === 'one' ? 8102 : 8202);
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const r = await runCli(args, { ...fx.env, ...env }, { cwd: fx.dir });
    // Every message an operator reads is a sentence, never a stack trace or a JSON log line.
    expect(r.stderr).not.toMatch(/\n\s+at |"level":/);
    return r;
  };

  beforeAll(async () => {
    assertChromium();
    fx = await startCliFixture(
      {
        PROVINCE_CODE: '330000',
        DINGTALK_AGENT_ID: '3001001',
        // The holiday package may not cover next year yet; doctor checks this year and the next.
        HOLIDAY_OVERRIDES: '{"2026-01-01":"rest","2027-01-01":"rest","2028-01-01":"rest"}',
      },
      { emptyDatabase: true },
    );
    // DingTalk as the bureau finds it: its people in the address book, LeiGuard's card templates
    // published in the card platform.
    await fx.sim.addUsers([MANAGER, REGULATOR]);
    await registerCardTemplates(fx.sim.sim);
  });

  afterAll(async () => {
    await browser?.close();
    if (service) await stopProcess(service);
    await fx?.close();
  });

  it('from an empty database to doctor ✓ with the CLI alone', async () => {
    const empty = await cli(['doctor']);
    expect(empty.code).toBe(1);
    expect(empty.stdout).toMatch(
      /✗ 数据库与迁移：PostgreSQL，有 \d+ 个迁移尚未执行.*\n +处理办法：运行 npx leiguard migrate/,
    );
    expect(empty.stdout).toContain('✗ 行政区划：未检查：数据库尚未迁移');
    expect(empty.stderr).toBe('');

    const regions = await cli(['regions', 'load', '--province', '330000']);
    expect(regions.code).toBe(0);
    expect(regions.stdout).toMatch(/行政区划已载入（330000，.*）/);
    expect((await cli(['regions', 'list', '--name', '余杭'])).stdout).toContain('330110  县（区）  余杭区');

    const template = path.join(fx.dir, '名录.xlsx');
    const t = await cli(['import-template', template]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(`填写后运行：npx leiguard import ${template}`);

    const fill = rows(depot, cinema);
    if (mode === 'one') {
      const file = path.join(fx.dir, '名录-填好.xlsx');
      const sheets = await fillTemplate(template, file, fill, ['重点单位', '单位及检测机构人员', '机构', '监管人员']);
      expect(sheets).toEqual(['填写说明', '重点单位', '单位及检测机构人员', '机构', '监管人员', '代码表']);
      const r = await cli(['import', file]);
      expect(r.stdout).toContain('导入完成（机构，名录-填好.xlsx 的「机构」表）：共 1 行，新增 1');
      expect(r.stdout).toContain('导入完成（重点单位，名录-填好.xlsx 的「重点单位」表）：共 2 行，新增 2');
      expect(r.stdout).not.toContain('未导入 1');
      expect(r.code).toBe(0);
    } else {
      const units = path.join(fx.dir, '单位.xlsx');
      const { 机构: bureaus, 监管人员: regulators, ...unitSheets } = fill;
      await fillTemplate(template, units, unitSheets, ['重点单位', '单位及检测机构人员']);
      const first = await cli(['import', units]);
      expect(first.stdout).toContain('共 2 行，新增 2');
      expect(first.code).toBe(0);
      // The gap, named with its fix, until the bureau is imported.
      const gap = await cli(['directory', 'check']);
      expect(gap.code).toBe(1);
      expect(gap.stdout).toMatch(/✗ 没有监管机构的重点单位.*：2/);
      expect(gap.stdout).toContain('余杭示例油库');

      const later = path.join(fx.dir, '机构.xlsx');
      await fillTemplate(template, later, { 机构: bureaus!, 监管人员: regulators! }, ['机构', '监管人员']);
      const second = await cli(['import', later]);
      expect(second.stdout).toContain('导入完成（机构，机构.xlsx 的「机构」表）：共 1 行，新增 1');
      expect(second.code).toBe(0);
    }
    // Either way the units have their bureau.
    const units = await fx.db.prisma.unit.findMany({ include: { supervisingOrg: true }, orderBy: { uscc: 'asc' } });
    expect(units.map((u) => [u.name, u.supervisingOrg?.name])).toEqual(
      expect.arrayContaining([
        ['余杭示例油库', BUREAU],
        ['余杭示例影院', BUREAU],
      ]),
    );

    const before = await cli(['directory', 'check']);
    expect(before.stdout).toMatch(/✗ 尚未关联钉钉账号的人员.*：2/);
    expect(before.code).toBe(1);
    const mapped = await cli(['map-dingtalk']);
    expect(mapped.stdout).toContain('本次查询 2 人，匹配 2，未找到 0');
    expect(mapped.code).toBe(0);
    const checked = await cli(['directory', 'check']);
    expect(checked.stdout).toContain('名录完整。');
    expect(checked.code).toBe(0);

    const doctor = await cli(['doctor']);
    expect(doctor.stdout).toContain('✓ 数据库与迁移：PostgreSQL');
    expect(doctor.stdout).toContain('✓ 钉钉访问令牌');
    expect(doctor.stdout).toContain('✓ 名录');
    expect(doctor.stdout).not.toContain('✗');
    expect(doctor.code).toBe(0);
    // The checks reached nobody.
    expect((await fx.sim.call<{ messages: unknown[] }>('GET', '/__sim/messages')).messages).toEqual([]);
  });

  it('the regulator files a hazard on 「登记隐患」 and its card reaches the manager', async () => {
    const port = await freePort();
    service = await startLeiGuardProcess(
      { ...fx.env, HTTP_PORT: String(port), DEMO_SEED: 'false', PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
      180_000,
    );
    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    const { code } = await fx.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: REGULATOR.userId });
    await page.goto(`http://127.0.0.1:${port}/m/hazards/new?authCode=${encodeURIComponent(code)}`);
    await page.locator('#who').filter({ hasText: REGULATOR.name }).waitFor({ timeout: 30_000 });

    await page.getByLabel('查找单位').fill('油库');
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByRole('radio', { name: /余杭示例油库/ }).check();
    await page.getByLabel('隐患类型').selectOption({ label: '接地电阻超标' });
    await page.getByLabel('隐患描述').fill('1 号罐接地电阻实测 18.6 Ω，超过 10 Ω');
    await shot(page, 'filled');
    await page.getByRole('button', { name: '登记并通知单位' }).click();
    const banner = page.getByText(/已登记隐患 HZ-[0-9A-F]{8}（余杭示例油库），整改通知已发送给单位负责人/);
    await banner.waitFor({ timeout: 30_000 });
    const no = /HZ-[0-9A-F]{8}/.exec((await banner.textContent()) ?? '')![0];
    await shot(page, 'filed');

    // The hazard card in the manager's DingTalk.
    type Msg = { outTrackId?: string };
    const cardOf = async () => {
      const { messages } = await fx.sim.call<{ messages: Msg[] }>('GET', `/__sim/messages?userId=${MANAGER.userId}`);
      return messages.find((m) => m.outTrackId);
    };
    await waitFor(async () => (await cardOf()) !== undefined, 60_000, 'the hazard card to reach the manager');
    const card = JSON.stringify(await fx.sim.call('GET', `/__sim/cards/${(await cardOf())!.outTrackId}`));
    expect(card).toContain('余杭示例油库');
    expect(card).toContain('接地电阻超标');
    const hazard = await fx.db.prisma.hazard.findFirstOrThrow({ where: { unit: { uscc: depot } } });
    expect(hazardNo(hazard.id)).toBe(no);
    expect(hazard).toMatchObject({ type: 'EARTH_R', grade: 'GENERAL', source: 'ENFORCEMENT' });
  });

  it('shows a revoked permission and a wrong AppSecret as ✗ with what to do, exit 1', async () => {
    await fx.sim.call('PUT', `/__sim/apps/${fx.sim.app.appKey}/refusals`, { apis: ['robot.batchSend'] });
    try {
      const revoked = await cli(['doctor']);
      expect(revoked.stdout).toMatch(
        /✗ 权限：机器人单聊消息（隐患通知、提醒）：钉钉拒绝：.*\n +处理办法：.*权限管理 中申请「企业内机器人发送消息权限」（权限码 qyapi_robot_sendmsg）/,
      );
      expect(revoked.stdout).toContain('✓ 权限：互动卡片');
      expect(revoked.stdout).toMatch(/\d+ 项中 1 项未通过/);
      expect(revoked.code).toBe(1);
    } finally {
      await fx.sim.call('PUT', `/__sim/apps/${fx.sim.app.appKey}/refusals`, {});
    }
    const wrong = await cli(['doctor'], { DINGTALK_APP_SECRET: 'a-wrong-secret-0000000000' });
    expect(wrong.stdout).toMatch(
      /✗ 钉钉访问令牌（AppKey \/ AppSecret）：.*\n +处理办法：DINGTALK_APP_KEY \/ DINGTALK_APP_SECRET 不正确：/,
    );
    expect(wrong.stdout).toMatch(/✗ 权限：互动卡片（整改、审批、预警卡片）：未检查：没有访问令牌/);
    expect(wrong.stdout).toContain('✓ 名录');
    expect(wrong.code).toBe(1);
  });
});
