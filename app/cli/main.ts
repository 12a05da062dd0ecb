// `npx leiguard <command>` (bin/leiguard.cjs): the operator CLI. Output for people is Chinese;
// exit code 0 = done, 1 = failed or found a problem (e.g. a broken audit chain), 2 = bad usage.
import { Command, CommanderError, Help } from 'commander';
import { AppError } from '../../core/errors';
import { registerBackupCommands } from './commands/backup.command';
import { registerDbCommands } from './commands/db.command';
import { registerDingTalkCommands } from './commands/dingtalk.command';
import { registerDirectoryCommands } from './commands/directory.command';
import { registerKeyCommands } from './commands/keys.command';
import { registerNoticeCommands } from './commands/notice.command';
import { registerRegionCommands } from './commands/regions.command';
import { registerDoctorCommand } from './commands/doctor.command';
import { registerRobotCommands } from './commands/robots.command';

/** Commander's help with Chinese headings. */
class ChineseHelp extends Help {
  override formatHelp(cmd: Command, helper: Help): string {
    return super
      .formatHelp(cmd, helper)
      .replace(/^Usage:/m, '用法：')
      .replace(/^Arguments:/m, '参数：')
      .replace(/^Options:/m, '选项：')
      .replace(/^Commands:/m, '命令：')
      .replace(/\[options\]/g, '[选项]')
      .replace(/\[command\]/g, '[命令]');
  }
}

/** Builds the command tree (exported for --help checks). */
export function buildProgram(): Command {
  const program = new Command('leiguard');
  program
    .description(
      '雷卫 LeiGuard 运维命令行：行政区划、导入导出名录、映射钉钉账号、接入自检、数据库迁移、演示数据、测试通知、审计校验',
    )
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [命令]', '显示某个命令的帮助')
    .showHelpAfterError('（用 --help 查看用法）')
    .configureOutput({
      outputError: (str, write) =>
        write(
          str
            .replace(/^error: unknown command '(.*)'/m, "错误：未知命令 '$1'")
            .replace(/^error: unknown option '(.*)'/m, "错误：未知选项 '$1'")
            .replace(/^error: missing required argument '(.*)'/m, "错误：缺少参数 '$1'")
            .replace(/^error: required option '(.*)' not specified/m, "错误：缺少必填选项 '$1'")
            .replace(/^error:/m, '错误：'),
        ),
    })
    .exitOverride();
  registerRegionCommands(program);
  registerDirectoryCommands(program);
  registerDingTalkCommands(program);
  registerNoticeCommands(program);
  registerDbCommands(program);
  registerBackupCommands(program);
  registerKeyCommands(program);
  registerRobotCommands(program);
  registerDoctorCommand(program);
  chinese(program);
  return program;
}

/** Chinese help and help option on a command and all its sub-commands. */
function chinese(cmd: Command): void {
  cmd.helpOption('-h, --help', '显示帮助');
  cmd.createHelp = () => Object.assign(new ChineseHelp(), cmd.configureHelp());
  for (const sub of cmd.commands) chinese(sub);
}

/** Prints a failure for a person: the Chinese message and, for programs, the stable code. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end here with exit code 0; usage errors were already printed.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof AppError) {
    process.stderr.write(`错误：${err.message}（错误代码 ${err.code}）\n`);
    return 1;
  }
  process.stderr.write(`错误：${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
