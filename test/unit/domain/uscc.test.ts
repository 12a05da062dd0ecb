import { generateUscc, isValidUscc, normalizeUscc, usccCheckChar, usccProblem } from '../../../core/domain/uscc';

describe('USCC (GB 32100) check digit', () => {
  it.each([
    '91330110MA2H000017',
    '91330109MA2C000020',
    '12330100MB0000003W',
    '91330206MA2A00004T',
    '91330782MA2E000054',
    '91330105MA2B000060',
  ])('accepts the demo code %s', (code) => {
    expect(usccProblem(code)).toBeNull();
    expect(isValidUscc(code)).toBe(true);
  });

  it.each([
    ['91330110MA2H000018', 'CHECK_DIGIT'],
    ['91330110MA2H00001', 'LENGTH'],
    ['91330110MA2H0000170', 'LENGTH'],
    ['91330110MA2I000017', 'CHARSET'], // I is not used
    ['91330110ma2h000017', 'CHARSET'], // not normalised
    ['913301A0MA2H000017', 'REGION'],
    ['', 'LENGTH'],
  ])('rejects %s (%s)', (code, problem) => {
    expect(usccProblem(code)).toBe(problem);
    expect(isValidUscc(code)).toBe(false);
  });

  it('catches every single-character substitution of a valid code', () => {
    const valid = '91330110MA2H000017';
    const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (let i = 0; i < 17; i++) {
      for (const ch of charset) {
        if (ch === valid[i]) continue;
        const changed = valid.slice(0, i) + ch + valid.slice(i + 1);
        if (i >= 2 && i < 8 && !/\d/.test(ch)) continue; // region digits: a different problem
        expect(isValidUscc(changed)).toBe(false);
      }
    }
  });

  it('normalises input', () => {
    expect(normalizeUscc(' 91330110ma2h 000017 ')).toBe('91330110MA2H000017');
  });

  it('generates valid, distinct codes', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const c = generateUscc('330110', i);
      expect(isValidUscc(c)).toBe(true);
      expect(c.slice(2, 8)).toBe('330110');
      codes.add(c);
    }
    expect(codes.size).toBe(2000);
    expect(isValidUscc(generateUscc('330106', 7, { dept: '1', kind: '2' }))).toBe(true);
    expect(() => generateUscc('3301', 1)).toThrow(RangeError);
    expect(() => usccCheckChar('123')).toThrow(RangeError);
  });
});
