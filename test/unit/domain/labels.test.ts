import * as enums from '../../../core/db/generated/enums';
import { label, LABELS, lpClassLabel } from '../../../core/domain/labels';

describe('Chinese labels', () => {
  it('cover every value of every enum in the schema, in Chinese', () => {
    const names = Object.keys(enums).filter((k) => k !== '$Enums');
    expect(Object.keys(LABELS).sort()).toEqual(names.sort());
    for (const name of names) {
      const values = Object.values((enums as Record<string, Record<string, string>>)[name]!);
      const table = (LABELS as Record<string, Record<string, string>>)[name]!;
      expect(Object.keys(table).sort()).toEqual([...values].sort());
      for (const v of values) expect(table[v]).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('label() falls back to the raw value', () => {
    expect(label('HazardGrade', 'MAJOR')).toBe('重大隐患');
    expect(label('HazardStatus', 'NOPE')).toBe('NOPE');
    expect(lpClassLabel(2)).toBe('第二类防雷建筑物');
  });
});
