// `leiguard doctor` through the real CLI binary against Postgres, Redis and the simulator as
// DingTalk: every line ✓ and exit 0 on a complete installation, with the form each card kind goes
// out in (#19); a revoked permission (the robot's interactive cards among them) and a missing card
// template give their ✗ lines with the advice and exit 1; a wrong AppSecret fails the token
// line and leaves the DingTalk lines unchecked; an unreachable DingTalk and a wrong DATABASE_URL are
// named in words with the settings to check.
import { Redis } from 'ioredis';
import { registerCardTemplates } from '../../../app/embedded';
import { freePort } from '../../../app/redis';
import { monthKey, shanghaiMonth } from '../../../bot/clients/monthly-calls';
import { learnedRateKey } from '../../../bot/clients/quota-limiter';
import { testRedisUrl } from '../../helpers/redis';
import { runCli, startCliFixture, type CliFixture } from '../../helpers/cli';

jest.setTimeout(180_000);

describe('leiguard doctor', () => {
  let fx: CliFixture;
  beforeAll(async () => {
    fx = await startCliFixture({
      DINGTALK_AGENT_ID: '3001001',
      HOLIDAY_OVERRIDES: '{"2026-01-01":"rest","2027-01-01":"rest","2028-01-01":"rest"}',
    });
    await registerCardTemplates(fx.sim.sim);
    expect((await runCli(['regions', 'load', '--province', '330000'], fx.env)).code).toBe(0);
    const p = fx.db.prisma;
    const org = await p.regulatorOrg.create({ data: { name: '杭州市余杭区气象局', regionCode: '330110' } });
    await p.person.create({ data: { name: '周志远', roles: ['REGULATOR'], orgId: org.id, dingUserId: 'u_zhou' } });
    await p.unit.create({
      data: {
        uscc: '91330110MA0000001T',
        name: '余杭示例油库',
        regionCode: '330110',
        address: '余杭区 1 号',
        category: 'FLAMMABLE',
        lpClass: 1,
        supervisionCode: 'DOC-1',
        supervisingOrgId: org.id,
      },
    });
  });
  afterAll(() => fx.close());

  it('passes every check of a complete installation', async () => {
    const r = await runCli(['doctor'], fx.env);
    expect(r.stdout).toContain('雷卫接入自检');
    expect(r.stdout).not.toContain('✗');
    for (const line of [
      '✓ 配置（环境变量与 .env）',
      '✓ 数据库与迁移',
      '✓ Redis',
      '✓ 钉钉访问令牌',
      '✓ 应用 AgentId',
      '✓ 权限：机器人单聊消息',
      '✓ 权限：互动卡片',
      '✓ 权限：机器人互动卡片（无需模板的普通版卡片）',
      '✓ 权限：工作通知',
      '✓ 权限：DING 消息',
      '✓ 权限：按手机号查找成员',
      '✓ 权限：部门列表',
      '✓ 权限：待办（钉钉待办同步）',
      '✓ 权限：免登',
      '✓ 互动卡片模板',
      '✓ Stream 长连接',
      '✓ 节假日日历',
      '✓ 行政区划',
      '✓ 钉钉待办同步',
      '✓ 名录',
    ])
      expect(r.stdout).toContain(line);
    expect(r.code).toBe(0);
    // Each card kind's form, and what a warning does without a shared-card template (#19).
    expect(r.stdout).toMatch(
      /✓ 互动卡片模板：未配置 DINGTALK_CARD_TEMPLATES。以普通版卡片（StandardCard）发送，无需模板：.*隐患整改通知.*；雷电预警多单位共用卡片需要模板，未配置：首次通知中超出工作通知每分钟额度的单位改用机器人单聊消息（带「收到」按钮，每次 20 人）（WARNING_SHARED_CARD_FALLBACK）/,
    );
    const wn = await runCli(['doctor'], { ...fx.env, WARNING_SHARED_CARD_FALLBACK: 'WORK_NOTICE' });
    expect(wn.stdout).toContain('单位改用工作通知（超出每分钟额度的顺延到下一分钟）');
    // Nothing reached anybody.
    const messages = await fx.sim.call<{ messages: unknown[] }>('GET', '/__sim/messages');
    expect(messages.messages).toEqual([]);
  });

  it('shows a revoked permission and a missing template as ✗ with what to do, exit 1', async () => {
    await fx.sim.call('PUT', `/__sim/apps/${fx.sim.app.appKey}/refusals`, {
      apis: [
        'robot.batchSend',
        'user.getByMobile',
        'todo.update',
        'robot.interactiveCardSend',
        'robot.interactiveCardUpdate',
      ],
      templates: ['leiguard.hazard-alert.v1'],
    });
    try {
      // A tenant that configured a template id its card platform does not have (or has not published).
      const r = await runCli(['doctor'], {
        ...fx.env,
        DINGTALK_CARD_TEMPLATES: JSON.stringify({ 'hazard-alert': 'leiguard.hazard-alert.v1' }),
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /✗ 权限：机器人单聊消息（隐患通知、提醒）：钉钉拒绝：.*：获批前机器人消息改以工作通知发送\n +处理办法：.*权限管理 中申请「企业内机器人发送消息权限」（权限码 qyapi_robot_sendmsg）/,
      );
      expect(r.stdout).toMatch(/✗ 权限：按手机号查找成员.*\n +处理办法：.*申请「通讯录个人信息读权限/);
      expect(r.stdout).toMatch(
        /✗ 互动卡片模板：leiguard\.hazard-alert\.v1（.*）：模板不存在或未发布.*\n +处理办法：.*DINGTALK_CARD_TEMPLATES/,
      );
      expect(r.stdout).toMatch(
        /✗ 权限：待办（钉钉待办同步）：钉钉拒绝：.*\n +处理办法：.*申请「待办应用中待办写权限」（权限码 Todo\.Todo\.Write）/,
      );
      expect(r.stdout).toContain('✓ 权限：互动卡片（');
      // Without the robot's interactive-card permission no card without a template can be sent.
      expect(r.stdout).toMatch(
        /✗ 权限：机器人互动卡片（无需模板的普通版卡片）：钉钉拒绝：.*：未配置模板的卡片（隐患、整改、审批、预警等）无法送达\n +处理办法：.*申请「企业内机器人发送消息权限」（权限码 qyapi_robot_sendmsg）与「互动卡片实例写权限」/,
      );
      expect(r.stdout).toMatch(/使用已配置模板：防雷安全隐患整改通知（leiguard\.hazard-alert\.v1）；以普通版卡片/);
      expect(r.stdout).toMatch(/21 项中 5 项未通过/);
    } finally {
      await fx.sim.call('PUT', `/__sim/apps/${fx.sim.app.appKey}/refusals`, {});
    }
  });

  it('shows the rate learned from DingTalk and warns from 80 % of the monthly calls', async () => {
    const redis = new Redis(testRedisUrl());
    const base = `${fx.env.QUEUE_PREFIX}:${fx.sim.app.appKey}:`;
    const keys = [learnedRateKey(base, 'card.createAndDeliver'), monthKey(base, shanghaiMonth())];
    try {
      // What a running service leaves in Redis after DingTalk refused cards at about 5 a second.
      await redis.hset(keys[0]!, 'rate', '4.6', 'seen', '5');
      await redis.hset(keys[1]!, 'card.createAndDeliver', '4100', 'oauth2.accessToken', '30');
      const r = await runCli(['doctor'], { ...fx.env, DINGTALK_MONTHLY_CALLS: '5000' });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /✗ 钉钉接口限流与本月调用量：钉钉限流：card\.createAndDeliver 已降至 4\.6 次\/秒（上限 20 次\/秒）；本月（\d{6}）计量调用 4100 次，DINGTALK_MONTHLY_CALLS=5000（82%）\n +处理办法：本月调用量已超过额度的 80%/,
      );
      const fine = await runCli(['doctor'], fx.env);
      expect(fine.stdout).toMatch(/✓ 钉钉接口限流与本月调用量：钉钉限流：card\.createAndDeliver 已降至 4\.6 次\/秒/);
    } finally {
      await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('names the AppSecret when DingTalk refuses the credentials, and checks nothing that needs the token', async () => {
    const r = await runCli(['doctor'], { ...fx.env, DINGTALK_APP_SECRET: 'a-wrong-secret-0000000000' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /✗ 钉钉访问令牌（AppKey \/ AppSecret）：.*\n +处理办法：DINGTALK_APP_KEY \/ DINGTALK_APP_SECRET 不正确：/,
    );
    expect(r.stdout).toMatch(/✗ 权限：机器人单聊消息（隐患通知、提醒）：未检查：没有访问令牌/);
    expect(r.stdout).toContain('✓ 数据库与迁移');
  });

  it('says why DingTalk cannot be reached and which settings name its address, exit 1', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const r = await runCli(['doctor'], { ...fx.env, DINGTALK_API_BASE: closed, DINGTALK_OAPI_BASE: closed });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `✗ 钉钉访问令牌（AppKey / AppSecret）：无法连接钉钉（${closed}）：连接被拒绝（ECONNREFUSED）\n` +
        `    处理办法：检查这台服务器能否访问钉钉开放平台（${closed}；防火墙、代理），` +
        '地址不对时改 DINGTALK_API_BASE / DINGTALK_OAPI_BASE',
    );
    expect(r.stdout).toContain('✗ 权限：免登（小程序登录）：未检查：没有访问令牌');
    expect(r.stderr).toBe('');
  });

  it('names what is wrong with DATABASE_URL in words, and checks nothing that needs the database', async () => {
    const missing = new URL(fx.env.DATABASE_URL!);
    missing.pathname = '/lg_test_no_such_database';
    const r = await runCli(['doctor'], { ...fx.env, DATABASE_URL: missing.toString() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /✗ 数据库与迁移：无法连接 DATABASE_URL 指向的 PostgreSQL：数据库不存在，请先创建（CREATE DATABASE）.*\n +处理办法：检查 DATABASE_URL/,
    );
    expect(r.stdout).toContain('✗ 行政区划：未检查：数据库不可用');
    expect(r.stdout).toContain('✓ 钉钉访问令牌');

    const down = new URL(fx.env.DATABASE_URL!);
    down.port = String(await freePort());
    const unreachable = await runCli(['doctor'], { ...fx.env, DATABASE_URL: down.toString() });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toContain(
      '✗ 数据库与迁移：无法连接 DATABASE_URL 指向的 PostgreSQL：无法连接到数据库服务器',
    );
    expect(unreachable.stderr).toBe('');
  });
});
