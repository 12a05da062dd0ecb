// Precautions per unit category: LeiGuard's own wording after the 防御指南 of the lightning signals
// (《气象灾害预警信号发布与传播办法》, 中国气象局令第16号, annex); no public rule gives precautions per category.
// Shown on each unit's warning card after the level's general guidance.
import type { UnitCategory } from '../db';

/** At most three short lines per category (the card has room for three). */
export const CATEGORY_PRECAUTIONS: Record<UnitCategory, string[]> = {
  FLAMMABLE: [
    '立即停止装卸、灌装、动火等露天作业',
    '检查储罐、管道的防雷和防静电接地',
    '罐区人员撤到有防雷设施的建筑内值守',
  ],
  CROWDED: ['暂停户外集体活动，引导人员进入室内', '关闭户外大屏等非必要室外用电设备', '值班人员到岗，做好应急疏散准备'],
  ELECTRONIC: ['检查电涌保护器（SPD）状态指示', '暂停室外天线、线缆作业，必要时切换备用电源', '做好重要数据备份'],
  CULTURAL: ['检查接闪器和引下线，关闭展厅非必要电源', '暂停户外参观活动', '值班人员巡查重点部位'],
  MINE_SCENIC: ['暂停露天作业和山顶、水边游览项目', '引导游客和作业人员到安全场所避雷', '停运索道等高空设施'],
  TALL: ['停止塔吊等高空作业', '人员远离烟囱、水塔等高耸构筑物', '检查接地引下线连接'],
  OTHER: ['检查防雷装置工作状态', '暂停露天作业', '密切关注雷电预警信息'],
};

/** Fan-out order: the most exposed categories first (issue #8 part 4). */
export const CATEGORY_ORDER: UnitCategory[] = [
  'FLAMMABLE',
  'MINE_SCENIC',
  'CROWDED',
  'TALL',
  'ELECTRONIC',
  'CULTURAL',
  'OTHER',
];
