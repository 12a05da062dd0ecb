// Approval definitions: ordered steps, each with approvers resolved by role within the subject's
// jurisdiction, "any one" or "all", and a time limit in working days (core/domain/working-days).
//
// Shipped: 防雷装置设计审核 and 防雷装置竣工验收 (中国气象局令第37号 arts. 7–11: 受理 within 5 working days,
// decision within 10 working days of acceptance; the 竣工验收 decision limit
// is UNCONFIRMED, so a site may override any shipped definition by key) and 整改延期 (used by
// the hazard loop). A site adds or overrides definitions without code: a JSON array in the file
// named by APPROVAL_DEFINITIONS_FILE, or in the SystemSetting row `approval.definitions`. Every
// definition is validated here; an invalid one is refused with the field it fails on.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PrismaClient, Tx } from '../db';
import type { PersonRole } from '../db/generated/enums';
import { AppError } from '../errors';
import { APPROVAL_ERRORS, definitionUnknown } from './errors';

const ROLES = ['UNIT_MANAGER', 'LEGAL_REP', 'REGULATOR', 'LEADER', 'AGENCY_STAFF', 'ADMIN'] as const;

const role = z.enum(ROLES, { message: `角色必须是 ${ROLES.join('、')} 之一` });
/** `3wd` working days, `90s` / `10m` / `2h` plain durations (core/hazard/plan.ts offsets). */
const interval = z.string().regex(/^\d{1,4}(wd|s|m|h)$/, '间隔格式应为 1wd、4h、30m 或 90s');

/**
 * What happens when a step's time limit passes (docs/approval-operations.md "Step time-outs"):
 * `times` reminders to the approvers who have not decided, the first at the due time and then every
 * `every`; then `then`. AUTO_APPROVE / AUTO_REJECT need `basis`, the provision that allows it.
 */
export const stepTimeoutSchema = z.object({
  remind: z
    .object({ times: z.number().int().min(0).max(5, '提醒次数不超过 5 次'), every: interval })
    .default({ times: 0, every: '1wd' }),
  then: z.enum(['NONE', 'ESCALATE', 'AUTO_APPROVE', 'AUTO_REJECT']).default('ESCALATE'),
  /** Legal basis of an automatic decision (quoted on the record). */
  basis: z.string().trim().min(4).max(100).optional(),
});

/** One step of a definition. */
export const approvalStepSchema = z.object({
  name: z.string().trim().min(1, '环节名称不能为空').max(20, '环节名称不超过 20 字'),
  /** ANY: one approver's decision settles the step; ALL: every approver must approve. */
  mode: z.enum(['ANY', 'ALL']).default('ANY'),
  /** Approvers: active people with this role in the regulator org nearest the subject's region. */
  assignee: z.object({
    role,
    scope: z.literal('jurisdiction').default('jurisdiction'),
  }),
  /** Time limit of the step in working days (weekends and Chinese holidays skipped). */
  dueWorkingDays: z.number().int().min(1, '时限至少 1 个工作日').max(60, '时限不超过 60 个工作日'),
  /** Roles an approver of this step may add as signer (加签); default: the step's own role; [] = none. */
  addSignerRoles: z.array(role).max(6).optional(),
  /** What happens when the time limit passes; absent: the site's default reminder and escalation. */
  timeout: stepTimeoutSchema.optional(),
});

/** A whole definition, as shipped or configured by a site. */
export const approvalDefinitionSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9.-]{2,63}$/, 'key 只能由小写字母、数字、点和横线组成（3–64 个字符）'),
    name: z.string().trim().min(2, '名称至少 2 个字').max(30, '名称不超过 30 字'),
    /** What kind of record it approves (permit, hazard, or a site's own word). */
    subjectType: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,29}$/, 'subjectType 只能由小写字母、数字和横线组成')
      .default('custom'),
    /** Quoted on cards, e.g. the regulation that sets the time limit. */
    legalBasis: z.string().trim().max(100).optional(),
    steps: z.array(approvalStepSchema).min(1, '至少需要 1 个审批环节').max(6, '审批环节不超过 6 个'),
  })
  .superRefine((d, issue) => {
    for (const [i, s] of d.steps.entries()) {
      const auto = s.timeout?.then === 'AUTO_APPROVE' || s.timeout?.then === 'AUTO_REJECT';
      if (!auto) continue;
      // A permit decision (中国气象局令第37号) is an administrative licence: never decided by a timer.
      if (d.subjectType === 'permit') {
        issue.addIssue({
          code: 'custom',
          path: ['steps', i, 'timeout', 'then'],
          message: '行政许可决定不得超时自动办理',
        });
      } else if (!s.timeout?.basis) {
        issue.addIssue({
          code: 'custom',
          path: ['steps', i, 'timeout', 'basis'],
          message: '超时自动同意/驳回须写明法律依据（basis）',
        });
      }
    }
  });

/** A validated definition. */
export type ApprovalDefinitionSpec = z.output<typeof approvalDefinitionSchema>;
/** A validated step. */
export type ApprovalStepSpec = z.output<typeof approvalStepSchema>;

const RULE_37 = '《雷电防护装置设计审核和竣工验收规定》（中国气象局令第37号）';

/** Definitions LeiGuard ships; keys are stable (code and hooks refer to them). */
export const BUILTIN_DEFINITIONS: readonly ApprovalDefinitionSpec[] = [
  {
    key: 'permit.design-review',
    name: '防雷装置设计审核',
    subjectType: 'permit',
    legalBasis: `${RULE_37}第七条至第十一条`,
    steps: [
      { name: '受理审查', mode: 'ANY', assignee: { role: 'REGULATOR', scope: 'jurisdiction' }, dueWorkingDays: 5 },
      { name: '审核决定', mode: 'ANY', assignee: { role: 'LEADER', scope: 'jurisdiction' }, dueWorkingDays: 10 },
    ],
  },
  {
    key: 'permit.completion-acceptance',
    name: '防雷装置竣工验收',
    subjectType: 'permit',
    // Decision limit: no public text at hand gives one for 竣工验收 (UNCONFIRMED; 10 working days assumed, the
    // province's 政务服务 guide decides); override by key.
    legalBasis: RULE_37,
    steps: [
      { name: '受理审查', mode: 'ANY', assignee: { role: 'REGULATOR', scope: 'jurisdiction' }, dueWorkingDays: 5 },
      { name: '验收决定', mode: 'ANY', assignee: { role: 'LEADER', scope: 'jurisdiction' }, dueWorkingDays: 10 },
    ],
  },
  {
    key: 'hazard.extension',
    name: '整改延期',
    subjectType: 'hazard',
    // No national limit for answering an extension request (UNCONFIRMED): 3 working days.
    steps: [
      { name: '延期审核', mode: 'ANY', assignee: { role: 'REGULATOR', scope: 'jurisdiction' }, dueWorkingDays: 3 },
    ],
  },
];

/** SystemSetting key holding a site's definitions (a JSON array). */
export const DEFINITIONS_SETTING_KEY = 'approval.definitions';

function invalid(source: string, message: string): AppError {
  return new AppError(APPROVAL_ERRORS.DEFINITION_INVALID, `审批定义无效（${source}）：${message}`, {
    status: 400,
    details: { source },
  });
}

/** Validates a list of site definitions (parsed JSON); throws APPROVAL_DEFINITION_INVALID naming the problem. */
export function parseDefinitions(raw: unknown, source: string): ApprovalDefinitionSpec[] {
  const parsed = z.array(approvalDefinitionSchema).safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const where = i.path.length ? `第 ${Number(i.path[0]) + 1} 项 ${i.path.slice(1).join('.')}`.trim() : '根';
    throw invalid(source, `${where}：${i.message}`);
  }
  const keys = new Set<string>();
  for (const d of parsed.data) {
    if (keys.has(d.key)) throw invalid(source, `key 重复：${d.key}`);
    keys.add(d.key);
  }
  return parsed.data;
}

/** Reads and validates the JSON file of site definitions. */
export function readDefinitionsFile(file: string): ApprovalDefinitionSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw invalid(file, `无法读取文件（${(err as NodeJS.ErrnoException).code ?? '未知错误'}）`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(file, '不是合法的 JSON');
  }
  return parseDefinitions(json, file);
}

/**
 * Every definition in force: shipped ones, then the site's file, then the SystemSetting row (a
 * later source replaces an earlier definition with the same key). Writes them to
 * ApprovalDefinition so instances reference a stored row. Called at start-up: an invalid site
 * definition stops the start with a clear message.
 */
export async function syncApprovalDefinitions(
  prisma: PrismaClient | Tx,
  opts: { file?: string } = {},
): Promise<ApprovalDefinitionSpec[]> {
  const byKey = new Map(BUILTIN_DEFINITIONS.map((d) => [d.key, d]));
  if (opts.file) for (const d of readDefinitionsFile(opts.file)) byKey.set(d.key, d);
  const setting = await prisma.systemSetting.findUnique({ where: { key: DEFINITIONS_SETTING_KEY } });
  if (setting)
    for (const d of parseDefinitions(setting.value, `SystemSetting ${DEFINITIONS_SETTING_KEY}`)) byKey.set(d.key, d);
  for (const d of byKey.values()) {
    await prisma.approvalDefinition.upsert({
      where: { key: d.key },
      create: { key: d.key, name: d.name, steps: toStored(d) },
      update: { name: d.name, steps: toStored(d) },
    });
  }
  return [...byKey.values()];
}

/** What the `steps` column keeps: the steps plus the definition's other fields. */
function toStored(d: ApprovalDefinitionSpec): object {
  return { subjectType: d.subjectType, legalBasis: d.legalBasis ?? null, steps: d.steps };
}

/** A stored definition row back as a validated spec. */
export function fromStored(row: { key: string; name: string; steps: unknown }): ApprovalDefinitionSpec {
  const s = (row.steps ?? {}) as { subjectType?: string; legalBasis?: string | null; steps?: unknown };
  const parsed = approvalDefinitionSchema.safeParse({
    key: row.key,
    name: row.name,
    subjectType: s.subjectType,
    legalBasis: s.legalBasis ?? undefined,
    steps: s.steps,
  });
  if (!parsed.success) throw invalid(`数据库 ${row.key}`, parsed.error.issues[0]!.message);
  return parsed.data;
}

/**
 * The stored definition for a key. A shipped definition not yet stored (a database that never
 * ran syncApprovalDefinitions, e.g. a test) is stored on first use.
 */
export async function loadDefinition(tx: Tx, key: string): Promise<{ id: string; spec: ApprovalDefinitionSpec }> {
  let row = await tx.approvalDefinition.findUnique({ where: { key } });
  if (!row) {
    const builtin = BUILTIN_DEFINITIONS.find((d) => d.key === key);
    if (!builtin) throw definitionUnknown(key);
    row = await tx.approvalDefinition.upsert({
      where: { key },
      create: { key, name: builtin.name, steps: toStored(builtin) },
      update: {},
    });
  }
  return { id: row.id, spec: fromStored(row) };
}

/** Roles a signer of the definition's step `index` may hold (empty: no 加签 there). */
export function signerRoles(spec: ApprovalDefinitionSpec, index: number): PersonRole[] {
  const s = spec.steps[index]!;
  return s.addSignerRoles ?? [s.assignee.role];
}
