// Chat commands to the robot (issue #4 parts 1 and 8): 「我的隐患」, 「隐患 <编号>」, 「帮助」, and for
// regulators 「登记隐患 …」 (filing), 「驳回 <编号> <理由>」 / 「不同意延期 <编号> <理由>」 (the reason a
// card click cannot carry). Unknown text gets a short help answer, not silence. Answers are
// markdown through the message's sessionWebhook.
import { personUnitWhere } from '../../core/authz/person-scope';
import type { PrismaClient } from '../../core/db';
import { label, LABELS } from '../../core/domain/labels';
import { shanghaiDate } from '../../core/domain/working-days';
import { AppError } from '../../core/errors';
import { decideExtension } from '../../core/hazard/extension';
import { fileHazard } from '../../core/hazard/file-hazard';
import { hazardNo, idPrefixOf } from '../../core/hazard/hazard-no';
import { hazardLinks } from '../../core/hazard/notice-data';
import type { ApprovalTimerOffsets } from '../../core/approval/timer-offsets';
import type { PlanSettings } from '../../core/hazard/plan';
import { pendingRectificationOf, verifyRectification } from '../../core/hazard/rectification';
import type { ApplyEffects } from '../../core/effects';
import type { Logger } from '../../core/logger';

/** What the commands need. */
export interface ChatDeps {
  prisma: PrismaClient;
  logger: Logger;
  publicBaseUrl: string;
  reworkWorkingDays: number;
  /** The plan new hazards take (config.hazard); default DEFAULT_PLAN_SETTINGS. */
  plan?: PlanSettings;
  /** Offsets of the timers of approval steps a command starts (config.approval); default DEFAULT_TIMER_OFFSETS. */
  approvalTimers?: ApprovalTimerOffsets;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}

/** A markdown answer. */
export interface ChatAnswer {
  title: string;
  text: string;
}

const HELP = [
  '可用指令：',
  '- **我的隐患**：列出您负责（或辖区内）未销号的隐患及整改期限',
  '- **隐患 编号**：查看一条隐患，如「隐患 HZ-1A2B3C4D」',
  '- **登记隐患 信用代码 等级 类型 工作日数 情况**：（执法人员）登记隐患并通知单位，如「登记隐患 91330110MA2H000017 一般 接地电阻超标 10 3号罐接地电阻18.6Ω」',
  '- **驳回 编号 理由**：（执法人员）驳回待复核的整改',
  '- **不同意延期 编号 理由**：（执法人员）不同意待审批的延期申请',
  '- **帮助**：显示本说明',
].join('\n');

const OPEN = ['PENDING', 'FIXING', 'SUBMITTED', 'OVERDUE', 'ESCALATED'] as const;

type Person = NonNullable<Awaited<ReturnType<PrismaClient['person']['findUnique']>>>;

/** Hazards a person may see through chat: those of the units 'hazard.list' reaches (core/authz). */
async function visibleWhere(prisma: PrismaClient, p: Person) {
  const unit = await personUnitWhere(prisma, p, 'hazard.list');
  return unit ? { unit } : null;
}

async function myHazards(deps: ChatDeps, p: Person): Promise<ChatAnswer> {
  const where = await visibleWhere(deps.prisma, p);
  const rows = where
    ? await deps.prisma.hazard.findMany({
        where: { ...where, status: { in: [...OPEN] } },
        include: { unit: { select: { name: true } } },
        orderBy: { deadline: 'asc' },
        take: 10,
      })
    : [];
  if (rows.length === 0) return { title: '我的隐患', text: '#### 我的隐患\n\n目前没有未销号的隐患。' };
  const lines = rows.map(
    (h) =>
      `- **${hazardNo(h.id)}** ${h.unit.name}「${label('HazardType', h.type)}」${label('HazardGrade', h.grade)}，${label('HazardStatus', h.status)}，整改期限 ${shanghaiDate(h.deadline)}`,
  );
  return {
    title: '我的隐患',
    text: `#### 我的隐患（${rows.length} 条未销号）\n\n${lines.join('\n')}\n\n回复「隐患 编号」查看详情。`,
  };
}

async function findVisible(deps: ChatDeps, p: Person, no: string) {
  const prefix = idPrefixOf(no);
  if (!prefix) return { error: `「${no}」不是有效的隐患编号，编号形如 HZ-1A2B3C4D。` };
  const where = await visibleWhere(deps.prisma, p);
  // Ids are UUIDs: the first 8 hex digits are the id's first 8 characters.
  const rows = where
    ? await deps.prisma.hazard.findMany({
        where: { ...where, id: { startsWith: prefix } },
        include: { unit: true },
        take: 2,
      })
    : [];
  if (rows.length === 0) return { error: `没有找到您可查看的隐患 ${hazardNo(prefix)}。` };
  return { hazard: rows[0]! };
}

async function oneHazard(deps: ChatDeps, p: Person, no: string): Promise<ChatAnswer> {
  const found = await findVisible(deps, p, no);
  if (!found.hazard) return { title: '隐患查询', text: found.error };
  const h = found.hazard;
  const links = hazardLinks(deps.publicBaseUrl, h.id);
  const text = [
    `#### 隐患 ${hazardNo(h.id)}`,
    '',
    `- 单位：${h.unit.name}（风险码：${label('RiskColor', h.unit.riskColor)}）`,
    `- 类型：${label('HazardType', h.type)}（${label('HazardGrade', h.grade)}）`,
    `- 状态：${label('HazardStatus', h.status)}`,
    `- 整改期限：${shanghaiDate(h.deadline)}`,
    `- 情况：${h.description}`,
    '',
    `[查看详情](${links.detail})`,
  ].join('\n');
  return { title: `隐患 ${hazardNo(h.id)}`, text };
}

async function decide(
  deps: ChatDeps,
  p: Person,
  kind: 'reject' | 'extension',
  no: string,
  reason: string,
): Promise<ChatAnswer> {
  const title = kind === 'reject' ? '驳回整改' : '不同意延期';
  const found = await findVisible(deps, p, no);
  if (!found.hazard) return { title, text: found.error };
  const h = found.hazard;
  const opts = { publicBaseUrl: deps.publicBaseUrl, via: 'chat' as const, approvalTimers: deps.approvalTimers };
  if (kind === 'reject') {
    const rectId = await pendingRectificationOf(deps.prisma, h.id);
    if (!rectId) return { title, text: `隐患 ${hazardNo(h.id)} 没有待复核的整改材料。` };
    const res = await verifyRectification(
      deps.prisma,
      p.id,
      rectId,
      { decision: 'REJECTED', reason },
      { ...opts, reworkWorkingDays: deps.reworkWorkingDays },
    );
    await deps.apply(res);
    return { title, text: `已驳回隐患 ${hazardNo(h.id)} 的整改，理由：${reason}。已通知单位重新整改。` };
  }
  const pending = await deps.prisma.extensionRequest.findFirst({
    where: { hazardId: h.id, status: 'PENDING' },
    select: { id: true },
  });
  if (!pending) return { title, text: `隐患 ${hazardNo(h.id)} 没有待审批的延期申请。` };
  const res = await decideExtension(deps.prisma, p.id, pending.id, { approve: false, reason }, opts);
  await deps.apply(res);
  return { title, text: `已不同意隐患 ${hazardNo(h.id)} 的延期申请，理由：${reason}。已通知单位按原期限整改。` };
}

const GRADES: Record<string, 'GENERAL' | 'MAJOR'> = {
  一般: 'GENERAL',
  一般隐患: 'GENERAL',
  重大: 'MAJOR',
  重大隐患: 'MAJOR',
};

/** A hazard type from its Chinese name (exact, or the one label containing what was typed). */
function hazardTypeOf(text: string): string | undefined {
  const types = Object.entries(LABELS.HazardType);
  const exact = types.find(([, name]) => name === text);
  if (exact) return exact[0];
  const partial = types.filter(([, name]) => name.includes(text));
  return partial.length === 1 ? partial[0]![0] : undefined;
}

/** 「登记隐患 <统一社会信用代码> <一般|重大> <类型> <工作日数> <情况>」 by a regulator. */
async function fileByChat(deps: ChatDeps, p: Person, args: string[], description: string): Promise<ChatAnswer> {
  const title = '登记隐患';
  const [uscc, gradeText, typeText, days] = args as [string, string, string, string];
  const usage = `格式：登记隐患 统一社会信用代码 一般|重大 隐患类型 整改工作日数 隐患情况。隐患类型可选：${Object.values(LABELS.HazardType).join('、')}。`;
  const grade = GRADES[gradeText];
  if (!grade) return { title, text: `隐患等级应为「一般」或「重大」，收到「${gradeText}」。\n\n${usage}` };
  const type = hazardTypeOf(typeText);
  if (!type) return { title, text: `不认识隐患类型「${typeText}」。\n\n${usage}` };
  if (!/^\d{1,3}$/.test(days)) return { title, text: `整改期限应为工作日数（如 10），收到「${days}」。\n\n${usage}` };
  const unit = await deps.prisma.unit.findUnique({
    where: { uscc: uscc.toUpperCase() },
    select: { id: true, name: true },
  });
  if (!unit) return { title, text: `没有找到统一社会信用代码为 ${uscc} 的重点单位。` };
  const res = await fileHazard(
    deps.prisma,
    p.id,
    { unitId: unit.id, type, grade, source: 'ENFORCEMENT', description, deadlineWorkingDays: Number(days) },
    { publicBaseUrl: deps.publicBaseUrl, via: 'chat', plan: deps.plan },
  );
  await deps.apply(res);
  const h = await deps.prisma.hazard.findUniqueOrThrow({ where: { id: res.hazardId }, select: { deadline: true } });
  return {
    title,
    text: `已登记隐患 **${hazardNo(res.hazardId)}**：${unit.name}「${label('HazardType', type)}」${label('HazardGrade', grade)}，整改期限 ${shanghaiDate(h.deadline)}。已通知单位负责人。`,
  };
}

/** Answers one message from `dingUserId`; never throws (errors become answers). */
export async function answerChat(deps: ChatDeps, dingUserId: string | undefined, rawText: string): Promise<ChatAnswer> {
  // Group messages start with the @mention; DingTalk also leaves leading spaces.
  const text = rawText.replace(/^\s*(@\S+\s+)*/, '').trim();
  const help = { title: '雷卫使用帮助', text: `#### 雷卫使用帮助\n\n${HELP}` };
  if (/^(帮助|help|\?|？)$/i.test(text)) return help;
  const person = dingUserId ? await deps.prisma.person.findUnique({ where: { dingUserId } }) : null;
  if (!person || !person.active) return { title: '雷卫', text: '未找到您的人员信息，请联系管理员绑定钉钉账号。' };
  try {
    if (/^我的隐患$/.test(text)) return await myHazards(deps, person);
    let m = /^隐患\s*(\S+)$/.exec(text);
    if (m) return await oneHazard(deps, person, m[1]!);
    m = /^登记隐患\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+([\s\S]+)$/.exec(text);
    if (m) return await fileByChat(deps, person, m.slice(1, 5), m[5]!.trim());
    if (/^登记隐患/.test(text)) return await fileByChat(deps, person, ['', '', '', ''], '');
    m = /^驳回\s+(\S+)\s+([\s\S]+)$/.exec(text);
    if (m) return await decide(deps, person, 'reject', m[1]!, m[2]!.trim());
    m = /^不同意延期\s+(\S+)\s+([\s\S]+)$/.exec(text);
    if (m) return await decide(deps, person, 'extension', m[1]!, m[2]!.trim());
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return { title: '雷卫', text: err.message };
    deps.logger.error({ err }, '处理聊天指令失败');
    return { title: '雷卫', text: '系统繁忙，请稍后再试。' };
  }
  return { title: '雷卫', text: `没有看懂「${text.slice(0, 20)}」。\n\n${HELP}` };
}
