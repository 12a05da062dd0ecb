// Checklists and approval definitions every installation starts with (demo or not).
// Items name the legal basis they check; texts are what inspectors read.
import type { HazardGrade, HazardType } from '../generated/enums';

/** One line of a checklist (stored in Checklist.items). */
export interface ChecklistItem {
  key: string;
  text: string;
  legalBasis?: string;
  /** Hazard filed when the item fails. */
  hazardType?: HazardType;
  grade?: HazardGrade;
}

/** A checklist definition. */
export interface ChecklistSeed {
  key: string;
  name: string;
  version: number;
  items: ChecklistItem[];
}

const ORDER_24 = '《防雷减灾管理办法》（中国气象局令第24号）';
const ORDER_37 = '《雷电防护装置设计审核和竣工验收规定》（中国气象局令第37号）';

export const CHECKLISTS: ChecklistSeed[] = [
  {
    key: 'key-unit',
    name: '防雷安全重点单位检查表',
    version: 1,
    items: [
      { key: 'duty', text: '防雷安全纳入安全生产责任制，明确责任人', hazardType: 'NO_SYSTEM', grade: 'GENERAL' },
      { key: 'rules', text: '防雷安全管理制度健全（日常检查、维护、档案）', hazardType: 'NO_SYSTEM', grade: 'GENERAL' },
      { key: 'plan', text: '有雷电灾害应急预案并定期演练', hazardType: 'NO_PLAN', grade: 'GENERAL' },
      {
        key: 'permit',
        text: '防雷装置经设计审核、竣工验收后投入使用',
        legalBasis: ORDER_37,
        hazardType: 'NO_PERMIT',
        grade: 'MAJOR',
      },
      {
        key: 'periodic-test',
        text: '按期委托有资质机构检测，报告在有效期内',
        legalBasis: `${ORDER_24}第十九条`,
        hazardType: 'OVERDUE',
        grade: 'MAJOR',
      },
      { key: 'agency', text: '检测机构资质等级与建筑物防雷类别相符', hazardType: 'UNQUALIFIED_AGENCY', grade: 'MAJOR' },
      { key: 'air-termination', text: '接闪器完好，无锈蚀、断裂、移位', hazardType: 'AIR_TERM', grade: 'GENERAL' },
      { key: 'down-conductor', text: '引下线连接牢固，无断开、松动', hazardType: 'DOWN_COND', grade: 'GENERAL' },
      { key: 'earthing', text: '接地电阻符合设计和规范要求', hazardType: 'EARTH_R', grade: 'GENERAL' },
      { key: 'spd', text: '电涌保护器（SPD）状态正常，无失效、劣化', hazardType: 'SPD_FAIL', grade: 'GENERAL' },
      { key: 'bonding', text: '等电位连接完整，过渡电阻符合要求', hazardType: 'BONDING', grade: 'GENERAL' },
      {
        key: 'rectify',
        text: '以往检测、检查发现的隐患已整改到位',
        legalBasis: `${ORDER_24}第三十五条`,
        hazardType: 'OTHER',
        grade: 'MAJOR',
      },
      { key: 'warning', text: '能及时接收并处置雷电预警信息', hazardType: 'NO_SYSTEM', grade: 'GENERAL' },
      {
        key: 'archive',
        text: '一企一档资料齐全（审核验收、检测报告、维护记录）',
        hazardType: 'ARCHIVE',
        grade: 'GENERAL',
      },
      { key: 'self-check', text: '雷雨季节前完成防雷安全自查', hazardType: 'NO_SYSTEM', grade: 'GENERAL' },
    ],
  },
  {
    key: 'code-inspection',
    name: '码上检查自查表',
    version: 1,
    items: [
      { key: 'periodic-test', text: '本年度防雷装置检测报告已上传且结论合格', hazardType: 'OVERDUE', grade: 'MAJOR' },
      { key: 'air-termination', text: '接闪器外观完好（请拍照）', hazardType: 'AIR_TERM', grade: 'GENERAL' },
      { key: 'spd', text: '配电箱 SPD 指示窗为绿色（请拍照）', hazardType: 'SPD_FAIL', grade: 'GENERAL' },
      { key: 'plan', text: '应急预案在有效期内', hazardType: 'NO_PLAN', grade: 'GENERAL' },
      { key: 'warning', text: '预警接收人员信息已更新', hazardType: 'NO_SYSTEM', grade: 'GENERAL' },
    ],
  },
  {
    key: 'agency-random',
    name: '防雷检测机构双随机检查表',
    version: 1,
    items: [
      {
        key: 'qualification',
        text: '在资质等级许可范围内从事检测，资质证在有效期内',
        legalBasis: '《雷电防护装置检测资质管理办法》',
      },
      { key: 'staff', text: '每个项目检测人员不少于 2 名且持证、在本机构任职' },
      { key: 'subcontract', text: '无转包、违法分包、挂靠或出借资质证书' },
      { key: 'report', text: '检测报告与原始记录一致，签字齐全，符合标准' },
      { key: 'upload', text: '报告出具后 10 个工作日内上传全国防雷减灾综合管理服务平台' },
      { key: 'instruments', text: '检测仪器在检定/校准有效期内' },
    ],
  },
];

/** An approval step template (stored in ApprovalDefinition.steps). */
export interface ApprovalStepSeed {
  key: string;
  name: string;
  mode: 'ANY' | 'ALL';
  /** Who is assigned: people with this role in the org that has jurisdiction. */
  assignee: { role: 'REGULATOR' | 'LEADER'; scope: 'ORG' };
  dueWorkingDays?: number;
}

/** An approval flow. */
export interface ApprovalDefinitionSeed {
  key: string;
  name: string;
  steps: ApprovalStepSeed[];
}

export const APPROVAL_DEFINITIONS: ApprovalDefinitionSeed[] = [
  {
    // 37号令 arts. 7–11: accept within 5 working days, decide within 10 working days of acceptance.
    key: 'permit.design-review',
    name: '雷电防护装置设计审核',
    steps: [
      {
        key: 'acceptance',
        name: '受理审查',
        mode: 'ANY',
        assignee: { role: 'REGULATOR', scope: 'ORG' },
        dueWorkingDays: 5,
      },
      {
        key: 'tech-review',
        name: '技术评价审查',
        mode: 'ANY',
        assignee: { role: 'REGULATOR', scope: 'ORG' },
        dueWorkingDays: 7,
      },
      { key: 'decision', name: '审核决定', mode: 'ANY', assignee: { role: 'LEADER', scope: 'ORG' }, dueWorkingDays: 3 },
    ],
  },
  {
    // Decision time limit: no public text at hand gives one for 竣工验收 under 37号令 (UNCONFIRMED): 10 working
    // days assumed; the province's 政务服务 guide decides.
    key: 'permit.completion-acceptance',
    name: '雷电防护装置竣工验收',
    steps: [
      {
        key: 'acceptance',
        name: '受理审查',
        mode: 'ANY',
        assignee: { role: 'REGULATOR', scope: 'ORG' },
        dueWorkingDays: 5,
      },
      {
        key: 'tech-review',
        name: '现场检测与技术评价',
        mode: 'ANY',
        assignee: { role: 'REGULATOR', scope: 'ORG' },
        dueWorkingDays: 7,
      },
      { key: 'decision', name: '验收决定', mode: 'ANY', assignee: { role: 'LEADER', scope: 'ORG' }, dueWorkingDays: 3 },
    ],
  },
  {
    key: 'hazard.extension',
    name: '隐患整改延期审批',
    steps: [
      {
        key: 'review',
        name: '延期审核',
        mode: 'ANY',
        assignee: { role: 'REGULATOR', scope: 'ORG' },
        dueWorkingDays: 2,
      },
    ],
  },
];
