// `leiguard doctor` (接入自检): the checklist of app/cli/doctor, printed as it runs.
import type { Command } from 'commander';
import { createLogger } from '../../../core/logger';
import { runDoctor } from '../doctor/run-doctor';
import { sentenceStream } from '../log-stream';
import { say } from '../output';

/** Registers `doctor`. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      '接入自检：依次检查配置、数据库与迁移、Redis、钉钉令牌、所需各项钉钉权限、机器人编码、卡片模板、AgentId、' +
        'Stream 连接或 HTTP 回调设置、政务钉钉网关、节假日日历、行政区划与名录；全部通过时退出码为 0，否则为 1。' +
        '不写数据库，也不会给任何人发消息',
    )
    .action(async () => {
      // Quiet: the checklist says what matters; log lines only for errors.
      const logger = createLogger({ level: 'error', name: 'leiguard-doctor', stream: sentenceStream() });
      say('雷卫接入自检');
      const lines = await runDoctor(logger, (l) => {
        say(`${l.ok ? '✓' : '✗'} ${l.title}${l.detail ? `：${l.detail}` : ''}`);
        if (!l.ok && l.advice) say(`    处理办法：${l.advice}`);
      });
      const failed = lines.filter((l) => !l.ok).length;
      say(
        failed === 0
          ? `\n全部 ${lines.length} 项通过。`
          : `\n${lines.length} 项中 ${failed} 项未通过，请按上面的处理办法修改后重新运行。`,
      );
      if (failed > 0) process.exitCode = 1;
    });
}
