// Which structures a testing agency may test (《雷电防护装置检测资质管理办法》, 中国气象局令第31号,
// amended by 令第38号): 甲级 may test class 1, 2 and 3 structures, 乙级 class 3 only. The mapping is
// configuration (AGENCY_LEVEL_CLASSES) because provinces word it differently.
import { lpClassLabel } from '../domain/labels';

/** Lightning-protection classes each qualification may test. */
export interface LevelClasses {
  A: number[];
  B: number[];
}

/** The qualification's Chinese name (甲级 / 乙级). */
export function agencyLevelLabel(level: 'A' | 'B'): string {
  return level === 'A' ? '甲级' : '乙级';
}

/**
 * Why an agency of `level` may not test a structure of `lpClass` (a sentence for people), or null
 * when its qualification covers it.
 */
export function qualificationProblem(level: 'A' | 'B', lpClass: number, classes: LevelClasses): string | null {
  const allowed = classes[level];
  if (allowed.includes(lpClass)) return null;
  const may = allowed.length > 0 ? `只能检测${allowed.map(lpClassLabel).join('、')}` : '不能检测任何防雷建筑物';
  return `本机构资质为${agencyLevelLabel(level)}，${may}；该单位为${lpClassLabel(lpClass)}，超出资质范围（中国气象局令第31号）。请由具有相应资质的机构检测`;
}
