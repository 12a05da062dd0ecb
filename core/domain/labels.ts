// Chinese labels for every enum in prisma/schema.prisma (values stay English in code and data).
// Terms as the rules use them (hazard grades 原安监总局令第16号 art. 3, permits 中国气象局令第37号, quality
// results QX/T 317, agency levels 《雷电防护装置检测资质管理办法》); the risk colour and credit grade schemes
// are LeiGuard's own, no public rule defines them (UNCONFIRMED).
import type * as E from '../db/generated/enums';

type Labels<T extends string> = Readonly<Record<T, string>>;

/** Every enum's labels, keyed by the enum's name in the schema. */
export const LABELS = {
  RegionLevel: { PROVINCE: '省', CITY: '市', COUNTY: '县（区）' } satisfies Labels<E.RegionLevel>,
  UnitCategory: {
    FLAMMABLE: '易燃易爆场所',
    CROWDED: '人员密集场所',
    ELECTRONIC: '电子信息系统',
    CULTURAL: '文物/档案场所',
    MINE_SCENIC: '雷电易发区矿区/景点',
    TALL: '高耸构筑物',
    OTHER: '其他',
  } satisfies Labels<E.UnitCategory>,
  RiskColor: {
    GREEN: '绿码（低风险）',
    YELLOW: '黄码（较高风险）',
    RED: '红码（高风险）',
  } satisfies Labels<E.RiskColor>,
  CreditGrade: { A: 'A 守信', B: 'B 基本守信', C: 'C 失信警示', D: 'D 严重失信' } satisfies Labels<E.CreditGrade>,
  AgencyLevel: { A: '甲级', B: '乙级' } satisfies Labels<E.AgencyLevel>,
  PersonRole: {
    UNIT_MANAGER: '重点单位负责人',
    LEGAL_REP: '法定代表人',
    REGULATOR: '执法人员',
    LEADER: '分管领导',
    AGENCY_STAFF: '检测机构人员',
    ADMIN: '系统管理员',
  } satisfies Labels<E.PersonRole>,
  HazardSource: {
    TEST: '定期检测',
    ENFORCEMENT: '执法检查',
    SELF_CHECK: '单位自查',
    REPORT: '群众举报',
    SYSTEM: '系统生成',
  } satisfies Labels<E.HazardSource>,
  HazardType: {
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
  } satisfies Labels<E.HazardType>,
  HazardGrade: { GENERAL: '一般隐患', MAJOR: '重大隐患' } satisfies Labels<E.HazardGrade>,
  HazardStatus: {
    PENDING: '待整改',
    FIXING: '整改中',
    SUBMITTED: '待复核',
    CLOSED: '已销号',
    OVERDUE: '逾期未改',
    ESCALATED: '已升级',
  } satisfies Labels<E.HazardStatus>,
  RectificationDecision: { APPROVED: '复核通过', REJECTED: '复核未通过' } satisfies Labels<E.RectificationDecision>,
  ExtensionStatus: {
    PENDING: '待审批',
    APPROVED: '已同意',
    REJECTED: '未同意',
    CANCELLED: '已撤回',
  } satisfies Labels<E.ExtensionStatus>,
  ApprovalStatus: {
    IN_PROGRESS: '审批中',
    APPROVED: '已通过',
    REJECTED: '已驳回',
    RETURNED: '已退回',
    CANCELLED: '已撤销',
  } satisfies Labels<E.ApprovalStatus>,
  ApprovalMode: { ANY: '或签（一人同意即可）', ALL: '会签（全部同意）' } satisfies Labels<E.ApprovalMode>,
  ApprovalStepStatus: {
    WAITING: '未开始',
    ACTIVE: '待处理',
    APPROVED: '已同意',
    REJECTED: '已驳回',
    RETURNED: '已退回',
    SKIPPED: '已跳过',
  } satisfies Labels<E.ApprovalStepStatus>,
  ApprovalStepKind: {
    DEFINED: '审批环节',
    ADDED_BEFORE: '加签（先于本环节）',
    ADDED_AFTER: '加签（本环节之后）',
  } satisfies Labels<E.ApprovalStepKind>,
  ApprovalClickStatus: {
    PENDING: '登记中',
    DECIDED: '已生效',
    REFUSED: '未生效',
  } satisfies Labels<E.ApprovalClickStatus>,
  ApprovalDecisionKind: {
    APPROVE: '同意',
    REJECT: '驳回',
    RETURN: '退回',
    TRANSFER: '转交',
    ADD_SIGNER: '加签',
    REMOVE_SIGNER: '减签',
    REMIND: '超时提醒',
    ESCALATE: '超时上报',
  } satisfies Labels<E.ApprovalDecisionKind>,
  PermitKind: {
    DESIGN_REVIEW: '雷电防护装置设计审核',
    COMPLETION_ACCEPTANCE: '雷电防护装置竣工验收',
  } satisfies Labels<E.PermitKind>,
  PermitStatus: {
    SUBMITTED: '已申请',
    CORRECTION: '待补正',
    ACCEPTED: '已受理',
    TECH_REVIEW: '技术评价/检测中',
    APPROVED: '核准/验收合格',
    REJECTED: '不予许可/需整改',
    WITHDRAWN: '已撤回',
  } satisfies Labels<E.PermitStatus>,
  InspectionMode: {
    RANDOM: '双随机一公开',
    FOCUS: '重点检查',
    SPECIAL: '专项检查',
    CODE: '码上检查',
    REVIEW: '复查',
    SELF_CHECK: '雷雨季前自查',
  } satisfies Labels<E.InspectionMode>,
  InspectionStatus: {
    IN_PROGRESS: '检查中',
    SUBMITTED: '已提交',
    REVIEWED: '已审核',
    CANCELLED: '已取消',
  } satisfies Labels<E.InspectionStatus>,
  InspectionResult: { PASS: '未发现隐患', FAIL: '发现隐患' } satisfies Labels<E.InspectionResult>,
  TestPlanStatus: {
    PLANNED: '已计划',
    ON_SITE: '现场检测中',
    REPORTED: '已提交报告',
    CANCELLED: '已取消',
  } satisfies Labels<E.TestPlanStatus>,
  SiteVisitKind: { TEST: '防雷装置检测', INSPECTION: '监督检查' } satisfies Labels<E.SiteVisitKind>,
  ScanLocationStatus: {
    GIVEN: '已记录位置',
    DENIED: '未授权定位',
    UNAVAILABLE: '无法获取位置',
  } satisfies Labels<E.ScanLocationStatus>,
  ItemResult: { PASS: '符合', FAIL: '不符合', NA: '不适用' } satisfies Labels<E.ItemResult>,
  InterviewStatus: {
    SCHEDULED: '已安排',
    NOTIFIED: '已通知',
    ACKNOWLEDGED: '已确认',
    RESCHEDULE_REQUESTED: '单位申请改期',
    HELD: '已约谈',
    REPORT_SUBMITTED: '已提交整改报告',
    CLOSED: '已办结',
    CANCELLED: '已取消',
  } satisfies Labels<E.InterviewStatus>,
  DutyActionKind: { REMINDER: '提醒', INTERVIEW_PROPOSAL: '约谈建议' } satisfies Labels<E.DutyActionKind>,
  DutyActionStatus: {
    OPEN: '待处理',
    SCHEDULED: '已发起约谈',
    DECLINED: '暂不约谈',
    DONE: '已办结',
  } satisfies Labels<E.DutyActionStatus>,
  WarningLevel: {
    YELLOW: '雷电黄色预警',
    ORANGE: '雷电橙色预警',
    RED: '雷电红色预警',
  } satisfies Labels<E.WarningLevel>,
  WarningStatus: { ACTIVE: '生效中', CANCELLED: '已解除' } satisfies Labels<E.WarningStatus>,
  TestConclusion: { PASS: '合格', FAIL: '不合格' } satisfies Labels<E.TestConclusion>,
  TestReportStatus: {
    RECEIVED: '已接收',
    CHECKED: '核验无异常',
    FLAGGED: '存在异常',
    REVIEWED: '已复核',
  } satisfies Labels<E.TestReportStatus>,
  QualityResult: { PASS: '合格', MINOR: '一般不合格', SERIOUS: '严重不合格' } satisfies Labels<E.QualityResult>,
  DeliveryChannel: {
    ROBOT_OTO: '机器人单聊',
    ROBOT_GROUP: '机器人群聊',
    CARD: '互动卡片',
    WORK_NOTICE: '工作通知',
    DING: '应用内 DING',
    WEBHOOK: '群自定义机器人',
    GOV_WORK_NOTICE: '浙政钉工作通知',
    CARD_SHARED: '互动卡片（多单位共用）',
    DING_SMS: '短信 DING',
    DING_CALL: '电话 DING',
  } satisfies Labels<E.DeliveryChannel>,
  DeliveryStatus: {
    PENDING: '待发送',
    SENDING: '发送中',
    SENT: '已发送',
    FAILED: '发送失败',
    CANCELLED: '已取消',
  } satisfies Labels<E.DeliveryStatus>,
  ActorKind: { PERSON: '人员', SYSTEM: '系统', DINGTALK: '钉钉' } satisfies Labels<E.ActorKind>,
  TimerStatus: {
    PENDING: '待触发',
    FIRED: '已触发',
    CANCELLED: '已取消',
    FAILED: '处理失败',
  } satisfies Labels<E.TimerStatus>,
  DirectoryKind: {
    UNIT: '重点单位',
    PERSON: '单位及检测机构人员',
    AGENCY: '检测机构',
    REGULATOR: '监管人员',
    BUREAU: '机构',
    TESTER: '检测人员',
  } satisfies Labels<E.DirectoryKind>,
  ImportStatus: { RUNNING: '导入中', DONE: '已完成', FAILED: '导入失败' } satisfies Labels<E.ImportStatus>,
  DingLookupStatus: {
    FOUND: '已匹配',
    NOT_FOUND: '钉钉中未找到',
    CONFLICT: '账号冲突',
  } satisfies Labels<E.DingLookupStatus>,
  TodoState: { OPEN: '待办', DONE: '已完成', DELETED: '已撤销' } satisfies Labels<E.TodoState>,
} as const;

/** Name of an enum that has labels. */
export type LabelledEnum = keyof typeof LABELS;

/** Chinese label of an enum value; the value itself if unknown (never throws in a notice). */
export function label<K extends LabelledEnum>(kind: K, value: keyof (typeof LABELS)[K] | string): string {
  const table = LABELS[kind] as Record<string, string>;
  return table[value as string] ?? String(value);
}

/** Label of a lightning-protection class number (1/2/3). */
export function lpClassLabel(lpClass: number): string {
  return ['', '第一类防雷建筑物', '第二类防雷建筑物', '第三类防雷建筑物'][lpClass] ?? `第${lpClass}类`;
}
