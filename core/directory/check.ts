// `leiguard directory check` (and doctor's last step): what in the directory would make a notice
// go to nobody, each with the fix. Units without a supervising bureau (their red-risk notices and
// verify cards have no regulator), units on a retired region code, people without a DingTalk
// identity (nothing reaches them), bureaus without an active regulator.
import type { PrismaClient } from '../db';

/** One problem and what to do about it. */
export interface DirectoryProblem {
  /** What it is about, e.g. 「杭州示例化工（91330110…）」. */
  subject: string;
  /** Why it is a problem and how to fix it. */
  fix: string;
}

/** One kind of problem: how many, the first ones. */
export interface DirectoryProblemGroup {
  title: string;
  count: number;
  items: DirectoryProblem[];
}

/** Everything `directory check` found; ok when every group is empty. */
export interface DirectoryCheck {
  ok: boolean;
  groups: DirectoryProblemGroup[];
}

interface UnitRow {
  name: string;
  uscc: string;
  regionCode: string;
  regionName: string;
  retired: boolean;
  bureaus: number;
}

/** Runs every check; at most `limit` items per group (the counts are complete). */
export async function checkDirectory(prisma: PrismaClient, limit = 1000): Promise<DirectoryCheck> {
  const groups: DirectoryProblemGroup[] = [];

  const orphanCount = await prisma.unit.count({ where: { active: true, supervisingOrgId: null } });
  const orphans = await prisma.$queryRawUnsafe<UnitRow[]>(
    `SELECT u.name, u.uscc, u."regionCode", r.name AS "regionName", r."retiredAt" IS NOT NULL AS retired,
            (SELECT count(*)::int FROM "RegulatorOrg" o WHERE o."regionCode" = u."regionCode") AS bureaus
       FROM "Unit" u JOIN "Region" r ON r.code = u."regionCode"
      WHERE u.active AND u."supervisingOrgId" IS NULL
      ORDER BY u."regionCode", u.name LIMIT $1`,
    limit,
  );
  groups.push({
    title: '没有监管机构的重点单位（其红色风险通知、整改核查卡片无人接收）',
    count: orphanCount,
    items: orphans.map((u) => ({
      subject: `${u.name}（${u.uscc}，${u.regionName} ${u.regionCode}）`,
      fix:
        u.bureaus > 1
          ? `该区划有 ${u.bureaus} 个气象局，无法自动确定由哪个监管：请核对机构表，删除或合并重复的机构后重新导入`
          : `导入该区划（或其上级市、省）的气象局：npx leiguard import bureaus <机构表>，或在监管人员表中填写该机构`,
    })),
  });

  const retired = await prisma.$queryRawUnsafe<UnitRow[]>(
    `SELECT u.name, u.uscc, u."regionCode", r.name AS "regionName", true AS retired, 0 AS bureaus
       FROM "Unit" u JOIN "Region" r ON r.code = u."regionCode"
      WHERE u.active AND r."retiredAt" IS NOT NULL ORDER BY u."regionCode", u.name LIMIT $1`,
    limit,
  );
  const retiredCount = await prisma.unit.count({ where: { active: true, region: { retiredAt: { not: null } } } });
  groups.push({
    title: '行政区划代码已撤销的重点单位',
    count: retiredCount,
    items: retired.map((u) => ({
      subject: `${u.name}（${u.uscc}）`,
      fix: `区划 ${u.regionCode}（${u.regionName}）已撤销或变更：在单位表中改为现行代码后重新导入（npx leiguard regions list --name <名称> 可查现行代码）`,
    })),
  });

  const unmapped = await prisma.person.findMany({
    where: { active: true, dingUserId: null },
    select: {
      name: true,
      mobileMasked: true,
      dingLookup: { select: { status: true, note: true } },
      unit: { select: { name: true } },
      org: { select: { name: true } },
      agency: { select: { name: true } },
    },
    orderBy: { name: 'asc' },
    take: limit,
  });
  groups.push({
    title: '尚未关联钉钉账号的人员（通知无法送达）',
    count: await prisma.person.count({ where: { active: true, dingUserId: null } }),
    items: unmapped.map((p) => ({
      subject: `${p.name}${p.mobileMasked ? ` ${p.mobileMasked}` : ''}（${p.unit?.name ?? p.org?.name ?? p.agency?.name ?? '未关联单位'}）`,
      fix: !p.mobileMasked
        ? '没有手机号：在人员表中补充手机号后重新导入，再运行 npx leiguard map-dingtalk'
        : p.dingLookup?.status === 'NOT_FOUND'
          ? '钉钉中找不到该手机号：请核对手机号，或请本人加入本单位钉钉组织，然后运行 npx leiguard map-dingtalk --retry-not-found'
          : p.dingLookup?.status === 'CONFLICT'
            ? `钉钉账号冲突：${p.dingLookup.note ?? '该账号已关联其他人员'}；请核对两人的手机号`
            : '运行 npx leiguard map-dingtalk 按手机号匹配钉钉账号',
    })),
  });

  const lonely = await prisma.$queryRawUnsafe<Array<{ name: string; regionCode: string }>>(
    `SELECT o.name, o."regionCode" FROM "RegulatorOrg" o
      WHERE NOT EXISTS (SELECT 1 FROM "Person" p
                         WHERE p."orgId" = o.id AND p.active AND 'REGULATOR' = ANY(p.roles::text[]))
      ORDER BY o."regionCode", o.name`,
  );
  groups.push({
    title: '没有执法人员的气象局（其监管单位的隐患通知无人接收）',
    count: lonely.length,
    items: lonely.slice(0, limit).map((o) => ({
      subject: `${o.name}（${o.regionCode}）`,
      fix: '在监管人员表中为该机构导入至少一名「执法人员」：npx leiguard import regulators <监管人员表>',
    })),
  });

  return { ok: groups.every((g) => g.count === 0), groups };
}
