// Domain enums used in notice data, with their Chinese labels (shared/domain-reference.md §8.2).
// Until core/ owns these enums they live here; core must not import templates, so when core
// defines them this file should re-export core's values and keep only the labels.
import { z } from 'zod';

function labelled<const T extends Record<string, string>>(labels: T) {
  const keys = Object.keys(labels) as [keyof T & string, ...Array<keyof T & string>];
  return { schema: z.enum(keys), labels, label: (k: keyof T & string): string => labels[k] };
}

/** Hazard types. */
export const HazardType = labelled({
  EARTH_R: '接地电阻超标',
  BONDING: '等电位连接缺失/过渡电阻超标',
  SPD_FAIL: 'SPD失效/劣化',
  AIR_TERM: '接闪器损坏锈蚀',
  DOWN_COND: '引下线断开/松动',
  OVERDUE: '未按期检测',
  NO_PERMIT: '未经设计审核/竣工验收',
  UNQUALIFIED_AGENCY: '委托无资质单位',
  NO_SYSTEM: '制度/责任制缺失',
  NO_PLAN: '应急预案缺失',
  ARCHIVE: '档案不全',
  OTHER: '其他',
});

/** Hazard grades (原安监总局令第16号 art. 3). */
export const HazardLevel = labelled({ GENERAL: '一般隐患', MAJOR: '重大隐患' });

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
export const HazardSource = labelled({ TEST: '定期检测', ENFORCEMENT: '执法检查', SELF_CHECK: '单位自查', REPORT: '群众举报' });

/** Written notice issued with a hazard. */
export const NoticeDocKind = labelled({
  RECTIFY_OPINION: '防雷安全隐患整改意见书',
  ORDER_CORRECT: '责令改正通知书',
  RECTIFY_ORDER: '整改指令',
});

/** Unit categories. */
export const UnitCategory = labelled({
  FLAMMABLE: '易燃易爆场所',
  CROWDED: '人员密集场所',
  ELECTRONIC: '电子信息系统',
  CULTURAL: '文物/档案场所',
  MINE_SCENIC: '雷电易发区矿区/景点',
  TALL: '高耸构筑物',
  OTHER: '其他',
});

/** Inspection modes. */
export const InspectionMode = labelled({
  RANDOM: '双随机一公开',
  FOCUS: '重点检查',
  SPECIAL: '专项检查',
  CODE: '码上检查',
  REVIEW: '复查',
});

/** Licensing kinds (中国气象局令第37号). */
export const PermitKind = labelled({ DESIGN_REVIEW: '雷电防护装置设计审核', COMPLETION_ACCEPTANCE: '雷电防护装置竣工验收' });

/** Licensing steps. */
export const PermitStep = labelled({
  ACCEPTANCE: '受理审查',
  CORRECTION: '补正审查',
  TECH_REVIEW: '技术评价审查',
  DECISION: '审核决定',
});

/** Lightning warning signal levels. */
export const WarningLevel = labelled({ YELLOW: '雷电黄色预警', ORANGE: '雷电橙色预警', RED: '雷电红色预警' });

/** Risk code colours. */
export const RiskColor = labelled({ GREEN: '绿码', YELLOW: '黄码', RED: '红码' });

/** Test-report anomaly rules (domain-reference §7). */
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
});

/** Test-report quality results (QX/T 317). */
export const QualityResult = labelled({ PASS: '合格', MINOR: '一般不合格', SERIOUS: '严重不合格' });
