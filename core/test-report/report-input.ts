// What a testing agency submits (issue #8 part 7): the structured items of a 防雷装置检测报告 and
// the report file. Validated at the edge; a malformed report is rejected with a clear message and
// nothing is written.
import { z } from 'zod';

const day = z.iso.date({ message: '日期格式应为 YYYY-MM-DD' });
const time = z.iso.datetime({ offset: true, message: '时间格式应为带时区的 ISO 8601，如 2026-07-15T09:30:00+08:00' });

/** Items a report measures: LeiGuard's own list of what testers commonly record; no public rule fixes it. */
export const MEASURE_ITEMS = [
  '接地电阻',
  '过渡电阻',
  'SPD压敏电压',
  'SPD泄漏电流',
  '接闪器规格',
  '引下线间距',
  '土壤电阻率',
] as const;

/** One measured item. */
export const measurementSchema = z.object({
  item: z.enum(MEASURE_ITEMS, { message: `检测项目应为：${MEASURE_ITEMS.join('、')}` }),
  location: z.string().trim().min(1, '请填写检测部位').max(60),
  value: z.number({ message: '测量值必须是数字' }).finite(),
  unit: z.string().trim().min(1).max(10),
  /** The limit the value is judged against (upper limit for resistances). */
  limit: z.number().finite().optional(),
  pass: z.boolean({ message: '请填写该项是否合格' }),
});

/** The report as the API takes it. */
export const reportInputSchema = z
  .object({
    reportNo: z.string().trim().min(4, '报告编号至少 4 个字符').max(40, '报告编号不超过 40 个字符'),
    /** The testing plan (检测计划) this report closes; default: the agency's open plan for the unit. */
    planId: z.string().trim().min(1).max(64).optional(),
    unitUscc: z
      .string()
      .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '受检单位统一社会信用代码格式不正确'),
    /** Tester ids of the agency's staff who signed the report. */
    testerIds: z.array(z.string().trim().min(1)).min(1, '至少填写 1 名检测人员').max(10),
    inspectionDate: day,
    issueDate: day,
    scanGeo: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), at: time }).optional(),
    photos: z
      .array(
        z.object({
          hash: z.string().regex(/^[0-9a-f]{16,128}$/i, '照片哈希应为十六进制'),
          exifTime: time.optional(),
          url: z.url().optional(),
        }),
      )
      .max(50)
      .default([]),
    instruments: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(40),
          certNo: z.string().trim().min(1).max(40),
          calibratedUntil: day,
        }),
      )
      .max(20)
      .default([]),
    measurements: z.array(measurementSchema).min(1, '至少包含 1 项检测数据').max(500),
    conclusion: z.enum(['PASS', 'FAIL'], { message: '结论应为 PASS（合格）或 FAIL（不合格）' }),
    file: z.object({
      name: z
        .string()
        .trim()
        .min(1)
        .max(120)
        .regex(/\.(pdf|ofd)$/i, '报告文件应为 PDF 或 OFD'),
      contentBase64: z
        .string()
        .min(8, '报告文件不能为空')
        .max(1_000_000, '报告文件不超过 700 KB（base64 后 1,000,000 字符）')
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, '报告文件应为 base64 编码'),
    }),
  })
  .strict();

/** A validated report. */
export type ReportInput = z.output<typeof reportInputSchema>;
/** One measured item. */
export type Measurement = z.output<typeof measurementSchema>;
