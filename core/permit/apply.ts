// 行政许可 applications (中国气象局令第37号): a unit applies for 防雷装置设计审核 or 竣工验收; the
// Permit row and its approval start in one transaction. The approval's outcome moves the permit
// (hooks.ts, run inside the deciding transaction).
import { z } from 'zod';
import { startApproval, type ApprovalEffects, type NoticeContext } from '../approval';
import type { Tx } from '../db';
import type { PermitKind, PermitStatus } from '../db/generated/enums';
import { label } from '../domain/labels';
import { PERMIT_DEFINITION } from './hooks';
import { NotFoundError, PermissionError, ValidationError } from '../errors';

/** Materials each kind asks for (37号令 art. 8; the 竣工验收 list follows the old 21号令, UNCONFIRMED). */
const MATERIALS: Record<PermitKind, string[]> = {
  DESIGN_REVIEW: ['雷电防护装置设计审核申请表', '设计说明书及图纸', '防雷产品说明'],
  COMPLETION_ACCEPTANCE: ['竣工验收申请书', '设计核准意见书', '竣工图纸', '防雷产品合格证及安装记录'],
};

/** An application as the mini-app posts it. */
export const permitApplicationSchema = z.object({
  kind: z.enum(['DESIGN_REVIEW', 'COMPLETION_ACCEPTANCE'], { message: '请选择申请事项（设计审核或竣工验收）' }),
  project: z.string().trim().min(2, '请填写项目名称（至少 2 个字）').max(60, '项目名称不超过 60 字'),
  address: z.string().trim().max(100, '项目地址不超过 100 字').optional(),
  /** Uploaded files (links into the mini-app), named after the materials above. */
  attachments: z
    .array(z.object({ name: z.string().trim().min(1).max(60), url: z.string().url('附件地址不合法') }))
    .max(8)
    .default([]),
  /** 竣工验收: number of the design approval (设计核准意见书). */
  designApprovalNo: z.string().trim().max(40).optional(),
});

/** Applies for a permit for the applicant's own unit; returns the permit and the approval effects. */
export async function applyForPermit(
  tx: Tx,
  personId: string,
  raw: unknown,
  ctx: NoticeContext,
): Promise<ApprovalEffects & { permitId: string }> {
  const parsed = permitApplicationSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '许可申请');
  const input = parsed.data;
  const person = await tx.person.findUnique({ where: { id: personId }, include: { unit: true } });
  if (!person?.active) throw new PermissionError('未找到申请人信息或账号已停用');
  if (!person.unit) throw new NotFoundError('UNIT_NOT_FOUND', '您尚未关联重点单位，无法申请');
  const now = ctx.now ?? new Date();
  const permit = await tx.permit.create({
    data: {
      kind: input.kind,
      applicantUscc: person.unit.uscc,
      applicantName: person.unit.name,
      unitId: person.unit.id,
      project: input.project,
      regionCode: person.unit.regionCode,
      submittedAt: now,
    },
  });
  const fields = [
    { label: '申请单位', value: person.unit.name },
    ...(input.address ? [{ label: '项目地址', value: input.address }] : []),
    ...(input.designApprovalNo ? [{ label: '设计核准书', value: input.designApprovalNo }] : []),
    { label: '应交材料', value: MATERIALS[input.kind].join('、') },
  ];
  const effects = await startApproval(
    tx,
    {
      definitionKey: PERMIT_DEFINITION[input.kind],
      subject: { type: 'permit', id: permit.id, regionCode: person.unit.regionCode, title: input.project },
      applicantPersonId: personId,
      data: { fields, attachments: input.attachments },
    },
    ctx,
  );
  const inst = await tx.approvalInstance.findUniqueOrThrow({
    where: { id: effects.instanceId },
    select: { legalDeadline: true },
  });
  await tx.permit.update({
    where: { id: permit.id },
    data: { approvalInstanceId: effects.instanceId, legalDeadline: inst.legalDeadline },
  });
  return { ...effects, permitId: permit.id };
}

/** Chinese label of a permit status. */
export function permitStatusLabel(s: PermitStatus): string {
  return label('PermitStatus', s);
}
