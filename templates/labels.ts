// Domain enums used in notice data, with their Chinese labels. Labels of the schema's enums come
// from core/domain/labels.ts; only notice-specific sets (and deliberate short or display forms,
// marked where they differ) are defined here.
import { z } from 'zod';
import { LABELS } from '../core/domain/labels';

function labelled<const T extends Readonly<Record<string, string>>>(labels: T) {
  const keys = Object.keys(labels) as [keyof T & string, ...Array<keyof T & string>];
  return { schema: z.enum(keys), labels, label: (k: keyof T & string): string => labels[k] };
}

/** Hazard types. */
export const HazardType = labelled(LABELS.HazardType);

/** Hazard grades (原安监总局令第16号 art. 3). */
export const HazardLevel = labelled(LABELS.HazardGrade);

/** Hazard statuses. */
export const HazardStatus = labelled({
  PENDING: '待整改',
  FIXING: '整改中',
  SUBMITTED: '待复核',
  CLOSED: '已销号',
  OVERDUE: '逾期未改',
  ESCALATED: '已升级',
  REJECTED: '复核未通过',
});

/** Where a hazard was found. */
// Sources a person files (core's set adds SYSTEM, which notices never name).
export const HazardSource = labelled({
  TEST: '定期检测',
  ENFORCEMENT: '执法检查',
  SELF_CHECK: '单位自查',
  REPORT: '群众举报',
});

/** Written notice issued with a hazard. */
export const NoticeDocKind = labelled({
  RECTIFY_OPINION: '防雷安全隐患整改意见书',
  ORDER_CORRECT: '责令改正通知书',
  RECTIFY_ORDER: '整改指令',
});

/** Unit categories. */
export const UnitCategory = labelled(LABELS.UnitCategory);

/** Inspection modes. */
export const InspectionMode = labelled(LABELS.InspectionMode);

/** Licensing kinds (中国气象局令第37号). */
export const PermitKind = labelled(LABELS.PermitKind);

/** Lightning warning signal levels. */
export const WarningLevel = labelled(LABELS.WarningLevel);

/** Risk code colours. */
// Short form for cards and notices (core's labels add 低风险/较高风险/高风险).
export const RiskColor = labelled({ GREEN: '绿码', YELLOW: '黄码', RED: '红码' });

/** Test-report anomaly rules: LeiGuard's own (core/test-report/anomaly-rules.ts), no public rule defines them. */
export const AnomalyRule = labelled({
  R01: '出具日期早于检测日期或检测日期在未来',
  R02: '报告超过 10 个工作日未上传',
  R03: '检测人员不足 2 人或无有效资格',
  R04: '同一检测员单日检测场所过多',
  R05: '同一检测员行程时间不可能',
  R06: '未现场扫码或定位偏离单位地址',
  R07: '照片重复使用或拍摄时间不符',
  R08: '检测数值异常或不合理',
  R09: '结论与分项结果矛盾或照搬上年',
  R10: '检测机构资质等级不足或资质过期',
  R11: '检测仪器检定过期',
  R12: '半年检场所 12 个月内仅检测一次',
  R13: '有检测计划但未现场扫码即提交报告',
  R14: '未提交检测计划即提交报告',
});

/** Test-report quality results (QX/T 317). */
export const QualityResult = labelled(LABELS.QualityResult);
