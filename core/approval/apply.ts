// Applications for the definitions a site adds by configuration (APPROVAL_DEFINITIONS_FILE or the
// SystemSetting `approval.definitions`): a unit person applies from the mini-app with a title,
// the essentials and attachments; the approval runs like any other. Permits and 整改延期 start
// from their own flows (core/permit, core/hazard), whose outcome hooks move their records, so they
// are not offered here.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient, Tx } from '../db';
import { AppError, NotFoundError, PermissionError, ValidationError } from '../errors';
import { approvalDataSchema } from './data';
import { fromStored, loadDefinition, type ApprovalDefinitionSpec } from './definitions';
import { startApproval, type ApprovalEffects } from './engine';
import { APPROVAL_ERRORS } from './errors';
import type { NoticeContext } from './notice-data';

/** Subject types started by their own flows, never directly. */
const OWN_FLOW: Record<string, string> = { permit: '防雷装置许可申请', hazard: '隐患整改延期申请' };

/** An application as the mini-app posts it. */
export const siteApplicationSchema = approvalDataSchema.extend({
  definitionKey: z.string().trim().min(1, '请选择审批事项').max(64),
  title: z.string().trim().min(2, '请填写申请事项名称（至少 2 个字）').max(60, '申请事项名称不超过 60 字'),
});

/** Definitions a unit person may apply for directly (the site's own). */
export async function applicableDefinitions(prisma: PrismaClient | Tx): Promise<
  Array<{
    key: string;
    name: string;
    steps: Array<{ name: string; dueWorkingDays: number }>;
    legalBasis: string | null;
  }>
> {
  const rows = await prisma.approvalDefinition.findMany({ orderBy: { key: 'asc' } });
  const specs: ApprovalDefinitionSpec[] = rows.map(fromStored);
  return specs
    .filter((d) => !OWN_FLOW[d.subjectType])
    .map((d) => ({
      key: d.key,
      name: d.name,
      legalBasis: d.legalBasis ?? null,
      steps: d.steps.map((s) => ({ name: s.name, dueWorkingDays: s.dueWorkingDays })),
    }));
}

/** Starts an approval of a site-configured definition for the applicant's own unit. */
export async function applyForSiteApproval(
  tx: Tx,
  personId: string,
  raw: unknown,
  ctx: NoticeContext,
): Promise<ApprovalEffects> {
  const parsed = siteApplicationSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '审批申请');
  const { definitionKey, title, fields, attachments } = parsed.data;
  const person = await tx.person.findUnique({
    where: { id: personId },
    include: { unit: { select: { name: true, regionCode: true } } },
  });
  if (!person?.active) throw new PermissionError('未找到申请人信息或账号已停用');
  if (!person.unit) throw new NotFoundError('UNIT_NOT_FOUND', '您尚未关联重点单位，无法申请');
  const def = await loadDefinition(tx, definitionKey);
  const own = OWN_FLOW[def.spec.subjectType];
  if (own) {
    throw new AppError(APPROVAL_ERRORS.NOT_STARTABLE, `「${def.spec.name}」须通过${own}发起`, {
      status: 400,
      details: { definitionKey },
    });
  }
  return startApproval(
    tx,
    {
      definitionKey,
      subject: { type: def.spec.subjectType, id: randomUUID(), regionCode: person.unit.regionCode, title },
      applicantPersonId: personId,
      data: { fields: [{ label: '申请单位', value: person.unit.name }, ...fields].slice(0, 8), attachments },
    },
    ctx,
  );
}
