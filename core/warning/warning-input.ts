// A lightning warning as it arrives (issue #8 part 4): from the 气象台 feed (API token or signed
// webhook) or entered by a regulator. Levels (雷电黄色 / 橙色 / 红色) and their meanings per
// 《气象灾害预警信号发布与传播办法》 (中国气象局令第16号) and its annex of signals; sentAt and
// msgType follow the Common Alerting Protocol the national early-warning release system uses
// (GB/T 35965.1).
import { z } from 'zod';

/** National warning id ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N (GB/T 35965.1). */
export const WARNING_ID_RE = /^\d{6}[0-9A-Za-z]{0,14}_\d{14}_\d{1,3}$/;

const time = z.iso.datetime({ offset: true, message: '时间格式应为带时区的 ISO 8601，如 2026-07-15T14:30:00+08:00' });

/** The warning fields every source provides. */
export const warningInputSchema = z
  .object({
    /** National id ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N (GB/T 35965.1). */
    id: z.string().regex(WARNING_ID_RE, '预警编号格式不正确（应为 ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N）'),
    level: z.enum(['YELLOW', 'ORANGE', 'RED'], { message: '预警级别应为 YELLOW、ORANGE 或 RED' }),
    regionCodes: z
      .array(z.string().regex(/^\d{6}$/, '行政区划代码应为 6 位数字'))
      .min(1, '至少一个影响区域')
      .max(12),
    issuedAt: time,
    expiresAt: time,
    issuer: z.string().trim().min(1, '请填写发布单位').max(30),
    text: z.string().trim().min(1, '请填写预警内容').max(500),
    /**
     * When the observatory sent this message (CAP `sent`): a message older than the one in force
     * is not applied (the feed may deliver out of order). Absent: when LeiGuard received it.
     */
    sentAt: time.optional(),
    /**
     * CAP `msgType`: ALERT (the original) or UPDATE. An update may arrive before its original;
     * an original arriving after an update is not applied.
     */
    msgType: z.enum(['ALERT', 'UPDATE'], { message: '消息类型应为 ALERT 或 UPDATE' }).optional(),
  })
  .strict()
  .refine((w) => Date.parse(w.expiresAt) > Date.parse(w.issuedAt), {
    message: '有效期应晚于发布时间',
    path: ['expiresAt'],
  });

/** A validated warning. */
export type WarningInput = z.output<typeof warningInputSchema>;
