// `leiguard send-test-notice <person>`: one robot 1:1 message to one person, to check the DingTalk
// set-up end to end (credentials, robot, the person's mapping). Sent directly through the robot
// channel, not the outbox: it is a check, not a notice anyone must act on; it is audited.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { RobotOtoChannel } from '../../../bot/channels/robot.channel';
import { appendAudit } from '../../../core/audit';
import { mobileBlindIndexes, normalizeMobile } from '../../../core/crypto';
import { NotFoundError, ValidationError } from '../../../core/errors';
import { renderNotice } from '../../../templates';
import { openDingTalk, withContext } from '../context';
import { say } from '../output';

/** Registers the test-notice command. */
export function registerNoticeCommands(program: Command): void {
  program
    .command('send-test-notice')
    .description('向一名人员发送一条钉钉测试消息（机器人单聊），检查钉钉配置与该人员的账号关联')
    .argument('<人员>', '人员编号、钉钉 userId 或手机号')
    .option(
      '--text <内容>',
      '消息正文',
      '这是一条来自雷卫防雷安全监管平台的测试消息，收到即表示钉钉通知配置正常，无需回复。',
    )
    .action(async (who: string, opts: { text: string }) => {
      await withContext(async (ctx) => {
        const { prisma } = ctx.db;
        const mobile = normalizeMobile(who);
        const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(who);
        const person = await prisma.person.findFirst({
          where: mobile
            ? { mobileHash: { in: mobileBlindIndexes(ctx.dataKey(), mobile) } }
            : isUuid
              ? { id: who }
              : { dingUserId: who },
        });
        if (!person) throw new NotFoundError('PERSON_NOT_FOUND', `找不到人员：${mobile ? '该手机号未登记' : who}`);
        if (!person.dingUserId)
          throw new ValidationError(`${person.name} 尚未关联钉钉账号，请先运行 leiguard map-dingtalk`);
        const rendered = renderNotice(
          'generic-text',
          { title: '雷卫测试消息', paragraphs: [opts.text], sender: '雷卫 LeiGuard' },
          'ROBOT_OTO',
        );
        const dt = await openDingTalk(ctx);
        try {
          const channel = new RobotOtoChannel(dt.dingtalk, 1);
          const outcome = (
            await channel.send(rendered, [{ deliveryId: randomUUID(), address: person.dingUserId }])
          )[0]!;
          await prisma.$transaction((tx) =>
            appendAudit(tx, {
              actorKind: 'SYSTEM',
              action: 'notice.test_sent',
              subjectType: 'person',
              subjectId: person.id,
              data: { status: outcome.status, externalId: outcome.externalId ?? null, code: outcome.code ?? null },
            }),
          );
          if (outcome.status === 'sent') {
            say(
              `测试消息已发送给 ${person.name}（钉钉 userId ${person.dingUserId}，processQueryKey ${outcome.externalId ?? '-'}）。`,
            );
          } else {
            say(`测试消息未能送达 ${person.name}：${outcome.reason ?? outcome.status}`);
            process.exitCode = 1;
          }
        } finally {
          await dt.close();
        }
      });
    });
}
