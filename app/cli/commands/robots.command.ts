// `leiguard robots add | list`: custom group robots (自定义机器人) such as the leaders' group
// that receives the daily digest (DIGEST_GROUP_ROBOT_ID). The webhook URL (it carries the
// robot's access token) and the signing secret are stored encrypted like personal data.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { appendAudit } from '../../../core/audit';
import { encrypt, decrypt } from '../../../core/crypto';
import { ValidationError } from '../../../core/errors';
import { withContext } from '../context';
import { say } from '../output';

/** Registers the robot commands. */
export function registerRobotCommands(program: Command): void {
  const robots = program.command('robots').description('自定义群机器人（如领导群接收每日简报）');
  robots
    .command('add')
    .description('登记一个自定义群机器人（Webhook 地址与加签密钥加密保存）；打印其 ID，供 DIGEST_GROUP_ROBOT_ID 使用')
    .requiredOption('--name <名称>', '机器人名称，如「余杭区防雷领导群」')
    .requiredOption('--webhook <地址>', '群设置 → 机器人 → 自定义机器人 中复制的 Webhook 地址（含 access_token）')
    .option('--secret <密钥>', '安全设置选「加签」时显示的密钥（SEC 开头）')
    .option('--region <代码>', '该群负责的行政区划代码（简报按此区划汇总）')
    .option('--keywords <词,词>', '安全设置选「自定义关键词」时填写的关键词，逗号分隔')
    .action(async (opts: { name: string; webhook: string; secret?: string; region?: string; keywords?: string }) => {
      let url: URL;
      try {
        url = new URL(opts.webhook);
      } catch {
        throw new ValidationError(`--webhook 不是有效的网址：${opts.webhook}`);
      }
      if (!url.searchParams.get('access_token'))
        throw new ValidationError('--webhook 应是含 access_token 参数的完整 Webhook 地址（在群机器人设置中复制）');
      if (opts.secret !== undefined && !/^SEC[0-9a-f]{16,}$/i.test(opts.secret))
        throw new ValidationError('--secret 应为「加签」密钥，以 SEC 开头');
      await withContext(async ({ db, dataKey }) => {
        if (opts.region && !(await db.prisma.region.findUnique({ where: { code: opts.region } })))
          throw new ValidationError(`--region 行政区划代码不存在：${opts.region}（npx leiguard regions list 可查）`);
        const key = dataKey();
        const robot = await db.prisma.$transaction(async (tx) => {
          const r = await tx.webhookRobot.create({
            data: {
              name: opts.name,
              regionCode: opts.region ?? null,
              webhookUrlEnc: encrypt(key, opts.webhook, 'webhook.url'),
              secretEnc: opts.secret ? encrypt(key, opts.secret, 'webhook.secret') : null,
              keywords: opts.keywords
                ? opts.keywords
                    .split(/[,，]/)
                    .map((k) => k.trim())
                    .filter(Boolean)
                : [],
            },
          });
          await appendAudit(tx, {
            actorKind: 'SYSTEM',
            action: 'robot.added',
            subjectType: 'webhookRobot',
            subjectId: r.id,
            data: {
              name: r.name,
              regionCode: r.regionCode,
              signed: Boolean(opts.secret),
              actor: `cli:${userInfo().username}`,
            },
          });
          return r;
        });
        say(`已登记自定义机器人「${robot.name}」，ID：${robot.id}`);
        say(`要让领导群接收每日简报，在 .env 中设置 DIGEST_GROUP_ROBOT_ID=${robot.id} 后重启服务。`);
      });
    });
  robots
    .command('list')
    .description('列出已登记的自定义群机器人（不显示 Webhook 地址与密钥）')
    .action(async () => {
      await withContext(async ({ db, dataKey }) => {
        const rows = await db.prisma.webhookRobot.findMany({ orderBy: { createdAt: 'asc' } });
        if (rows.length === 0) say('尚未登记自定义机器人：npx leiguard robots add --name … --webhook … --secret …');
        for (const r of rows) {
          const host = new URL(decrypt(dataKey(), r.webhookUrlEnc, 'webhook.url')).host;
          say(
            `${r.id}  ${r.name}  ${r.regionCode ?? '全部区划'}  ${host}  ${r.secretEnc ? '加签' : '未加签'}${r.active ? '' : '（停用）'}`,
          );
        }
      });
    });
}
