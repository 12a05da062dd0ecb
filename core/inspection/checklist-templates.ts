// Checklist templates shipped with LeiGuard, one per unit category (issue #7 item 7). They are
// data: the first inspection of a category writes version 1 into the Checklist table, and an admin
// edits a checklist by saving a new version (core/inspection/checklists.ts); inspections keep the
// version they were filled against. Items follow the key-unit duties of 24号令 (《防雷减灾管理办法》), 37号令 and
// the Guizhou bureau's key-unit checklist
// (http://gz.cma.gov.cn/zt/20211228_114360/2021032302_1/202205/t20220527_4860153.html); the default
// deadlines are UNCONFIRMED and editable per site through the admin API.
import type { HazardGrade, HazardType, UnitCategory } from '../db/generated/enums';

/** One checklist item as stored in Checklist.items. */
export interface ChecklistItem {
  key: string;
  text: string;
  /** Law or standard the item rests on; copied into the hazard a failed item becomes. */
  legalBasis: string;
  hazardType: HazardType;
  grade: HazardGrade;
  /** Working days to rectify a failure. */
  deadlineWorkingDays: number;
  /** Score weight (the score is passed weight over applicable weight, 0–100). */
  weight: number;
  /** Asked in the chat self-check card too (the short list). */
  short?: boolean;
}

const ORDER_24 = '《防雷减灾管理办法》（中国气象局令第24号）第十九条';
const ORDER_37 = '《雷电防护装置设计审核和竣工验收规定》（中国气象局令第37号）第五条';

const COMMON: ChecklistItem[] = [
  {
    key: 'test-on-time',
    text: '防雷装置按期检测，检测报告在有效期内',
    legalBasis: ORDER_24,
    hazardType: 'OVERDUE',
    grade: 'GENERAL',
    deadlineWorkingDays: 10,
    weight: 20,
    short: true,
  },
  {
    key: 'earth-resistance',
    text: '接地电阻符合检测报告和设计要求',
    legalBasis: 'GB 50057《建筑物防雷设计规范》',
    hazardType: 'EARTH_R',
    grade: 'GENERAL',
    deadlineWorkingDays: 15,
    weight: 15,
    short: true,
  },
  {
    key: 'air-termination',
    text: '接闪器完好，无锈蚀、断裂、松脱',
    legalBasis: 'GB 50057《建筑物防雷设计规范》',
    hazardType: 'AIR_TERM',
    grade: 'GENERAL',
    deadlineWorkingDays: 15,
    weight: 10,
    short: true,
  },
  {
    key: 'down-conductor',
    text: '引下线连接牢固，无断开、松动',
    legalBasis: 'GB 50057《建筑物防雷设计规范》',
    hazardType: 'DOWN_COND',
    grade: 'GENERAL',
    deadlineWorkingDays: 15,
    weight: 10,
  },
  {
    key: 'spd',
    text: '电源及信号线路浪涌保护器（SPD）工作正常，无失效指示',
    legalBasis: 'GB 50057《建筑物防雷设计规范》',
    hazardType: 'SPD_FAIL',
    grade: 'GENERAL',
    deadlineWorkingDays: 10,
    weight: 10,
    short: true,
  },
  {
    key: 'responsibility',
    text: '防雷安全纳入单位安全生产责任制，明确责任人',
    legalBasis: '《气象灾害防御条例》第二十三条',
    hazardType: 'NO_SYSTEM',
    grade: 'GENERAL',
    deadlineWorkingDays: 20,
    weight: 10,
  },
  {
    key: 'emergency-plan',
    text: '制定雷电灾害应急预案并组织演练',
    legalBasis: '《气象灾害防御条例》第二十三条',
    hazardType: 'NO_PLAN',
    grade: 'GENERAL',
    deadlineWorkingDays: 20,
    weight: 10,
  },
  {
    key: 'archive',
    text: '防雷安全档案（一企一档）齐全：设计、验收、检测、维护记录',
    legalBasis: ORDER_24,
    hazardType: 'ARCHIVE',
    grade: 'GENERAL',
    deadlineWorkingDays: 20,
    weight: 5,
  },
];

const FLAMMABLE: ChecklistItem[] = [
  {
    key: 'permit',
    text: '防雷装置经设计审核、竣工验收后投入使用',
    legalBasis: ORDER_37,
    hazardType: 'NO_PERMIT',
    grade: 'MAJOR',
    deadlineWorkingDays: 30,
    weight: 20,
    short: true,
  },
  {
    key: 'bonding',
    text: '储罐、管道、装卸设施等电位连接和跨接完好',
    legalBasis: 'GB 50057《建筑物防雷设计规范》',
    hazardType: 'BONDING',
    grade: 'MAJOR',
    deadlineWorkingDays: 10,
    weight: 15,
    short: true,
  },
];

const ELECTRONIC: ChecklistItem[] = [
  {
    key: 'bonding',
    text: '机房等电位连接网络完整，设备接地可靠',
    legalBasis: 'GB 50343《建筑物电子信息系统防雷技术规范》',
    hazardType: 'BONDING',
    grade: 'GENERAL',
    deadlineWorkingDays: 15,
    weight: 15,
    short: true,
  },
];

const CROWDED: ChecklistItem[] = [
  {
    key: 'warning-receipt',
    text: '有专人接收雷电预警信息，并能及时组织人员避险',
    legalBasis: '《气象灾害防御条例》第三十一条',
    hazardType: 'NO_SYSTEM',
    grade: 'GENERAL',
    deadlineWorkingDays: 10,
    weight: 10,
    short: true,
  },
];

/** The shipped template of each category: key, name, items. */
export const CHECKLIST_TEMPLATES: Record<UnitCategory, { name: string; items: ChecklistItem[] }> = {
  FLAMMABLE: { name: '易燃易爆场所防雷安全检查表', items: [...FLAMMABLE, ...COMMON] },
  CROWDED: { name: '人员密集场所防雷安全检查表', items: [...COMMON, ...CROWDED] },
  ELECTRONIC: { name: '电子信息系统防雷安全检查表', items: [...COMMON, ...ELECTRONIC] },
  CULTURAL: { name: '文物/档案场所防雷安全检查表', items: [...COMMON] },
  MINE_SCENIC: {
    name: '矿区/景点防雷安全检查表',
    items: [...FLAMMABLE.filter((i) => i.key === 'permit'), ...COMMON, ...CROWDED],
  },
  TALL: { name: '高耸构筑物防雷安全检查表', items: [...COMMON] },
  OTHER: { name: '重点单位防雷安全检查表', items: [...COMMON] },
};

/** Checklist.key of a category's checklist. */
export function checklistKey(category: UnitCategory): string {
  return `category:${category}`;
}
