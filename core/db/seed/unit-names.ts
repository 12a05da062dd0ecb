// The words the demo's generated unit names are made of (units.ts), per category.
import type { UnitCategory } from '../generated/enums';

/** Kinds of site per category, with their lightning-protection class. */
export const KINDS: Record<UnitCategory, ReadonlyArray<readonly [string, 1 | 2 | 3]>> = {
  FLAMMABLE: [
    ['加油站', 2],
    ['加气站', 2],
    ['液化气站', 2],
    ['油库', 1],
    ['化工有限公司', 2],
    ['危化品仓储有限公司', 2],
    ['烟花爆竹仓库', 1],
  ],
  CROWDED: [
    ['中学', 3],
    ['小学', 3],
    ['人民医院', 2],
    ['购物中心', 2],
    ['客运中心', 2],
    ['体育馆', 2],
    ['大酒店', 3],
    ['住宅小区', 3],
  ],
  ELECTRONIC: [
    ['数据中心', 2],
    ['通信枢纽楼', 2],
    ['广播电视发射台', 2],
    ['变电站', 2],
    ['自来水厂', 3],
    ['银行数据中心', 2],
  ],
  CULTURAL: [
    ['博物馆', 2],
    ['档案馆', 2],
    ['图书馆', 3],
    ['古建筑群', 3],
  ],
  MINE_SCENIC: [
    ['矿业有限公司', 2],
    ['风景区', 3],
    ['石料厂', 3],
  ],
  TALL: [
    ['电视塔', 2],
    ['水塔', 3],
    ['热电厂烟囱', 2],
  ],
  OTHER: [
    ['物流园', 3],
    ['工业园', 3],
  ],
};

/** Words that make up a fictional company name. */
export const WORDS = [
  '恒安',
  '瑞丰',
  '东港',
  '新越',
  '华晟',
  '嘉禾',
  '明德',
  '天元',
  '浙兴',
  '宏远',
  '永盛',
  '金桥',
  '海纳',
  '清源',
  '同创',
  '汇通',
  '启明',
  '安泰',
  '锦程',
  '万向',
];
