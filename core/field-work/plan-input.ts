// What a testing agency files as a testing plan (检测计划), in the mini-app or through its API.
// Validated at the edge; a rule that refuses it (qualification, certificates, dates, overlap) is
// checked in file-plan.ts.
import { z } from 'zod';

/** The installations a plan usually names (the form offers them; the API takes any short text). */
export const INSTALLATIONS = [
  '接闪器',
  '引下线',
  '接地装置',
  '等电位连接',
  '电涌保护器（SPD）',
  '屏蔽及综合布线',
] as const;

/** A testing plan as filed. */
export const testPlanInputSchema = z
  .object({
    /** 统一社会信用代码 of the key unit to test. */
    unitUscc: z
      .string({ message: '请填写受检单位的统一社会信用代码' })
      .trim()
      .toUpperCase()
      .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '统一社会信用代码应为 18 位，请核对后重新填写'),
    plannedDate: z.iso.date({ message: '请选择计划检测日期（格式 YYYY-MM-DD）' }),
    /** Ids of the agency's registered testers (检测人员) who will test. */
    testerIds: z
      .array(z.string().trim().min(1).max(64), { message: '请选择检测人员' })
      .min(1, '请至少选择 1 名检测人员')
      .max(10, '一个计划最多 10 名检测人员'),
    installations: z
      .array(z.string().trim().min(1, '检测内容不能为空').max(40, '每项检测内容不超过 40 字'), {
        message: '请选择检测内容',
      })
      .min(1, '请至少选择 1 项检测内容')
      .max(30, '检测内容最多 30 项'),
  })
  .strict();

/** A validated plan. */
export type TestPlanInput = z.output<typeof testPlanInputSchema>;
