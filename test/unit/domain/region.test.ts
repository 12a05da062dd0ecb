import {
  anyRegionMatches,
  parentRegionCode,
  parseWarningId,
  regionLevelOf,
  regionMatches,
  regionPrefix,
} from '../../../core/domain/region';

describe('region helpers (GB/T 2260)', () => {
  it('derives level and parent from the digits', () => {
    expect(regionLevelOf('330000')).toBe('PROVINCE');
    expect(regionLevelOf('330100')).toBe('CITY');
    expect(regionLevelOf('330110')).toBe('COUNTY');
    expect(parentRegionCode('330110')).toBe('330100');
    expect(parentRegionCode('330100')).toBe('330000');
    expect(parentRegionCode('330000')).toBeNull();
    expect(regionPrefix('330100')).toBe('3301');
    expect(() => regionLevelOf('33011')).toThrow(RangeError);
  });

  it('matches warnings to units per docs/domain-reference.md §6', () => {
    expect(regionMatches('330110', '330110')).toBe(true); // same county
    expect(regionMatches('330110', '330109')).toBe(false); // neighbour county
    expect(regionMatches('330100', '330110')).toBe(true); // city covers its districts
    expect(regionMatches('330100', '330206')).toBe(false); // other city
    expect(regionMatches('330000', '330782')).toBe(true); // province
    expect(regionMatches('320000', '330782')).toBe(false);
    expect(regionMatches('330110', '330100')).toBe(false); // county warning does not cover the city
    expect(regionMatches('bad', '330110')).toBe(false);
    expect(anyRegionMatches(['330109', '330110'], '330110')).toBe(true);
  });

  it('parses national warning ids', () => {
    expect(parseWarningId('33011041600000_20250715143000_0')).toEqual({
      regionCode: '330110',
      issuedAt: new Date('2025-07-15T06:30:00.000Z'),
      seq: 0,
    });
    expect(parseWarningId('330110_20250715143000_0')).toBeNull();
  });
});
