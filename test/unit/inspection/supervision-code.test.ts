// Supervision codes: derived from a valid USCC only, checkable by their own check character;
// signed URLs detect any change (code, unit id, expiry, signature) and expire.
import { deriveDataKey } from '../../../core/crypto';
import {
  deriveSupervisionCode,
  isSupervisionCode,
  SupervisionCodeSigner,
} from '../../../core/inspection/supervision-code';

const dataKey = deriveDataKey(Buffer.alloc(32, 3));
const unit = {
  id: '3b0f9a4e-1c1d-4a51-9c43-2f4f6d7b8a90',
  supervisionCode: deriveSupervisionCode('91330110MA2H000017'),
};

test('the code comes from the USCC and carries its own check character', () => {
  expect(unit.supervisionCode).toMatch(/^LG330110MA2H00001[0-9A-Y]$/);
  expect(isSupervisionCode(unit.supervisionCode)).toBe(true);
  const typo =
    unit.supervisionCode.slice(0, 10) + (unit.supervisionCode[10] === '2' ? '3' : '2') + unit.supervisionCode.slice(11);
  expect(isSupervisionCode(typo)).toBe(false);
  expect(deriveSupervisionCode(' 91330110ma2h000017 ')).toBe(unit.supervisionCode);
});

test('an invalid USCC is refused with the reason in Chinese', () => {
  expect(() => deriveSupervisionCode('91330110MA2H000018')).toThrow('统一社会信用代码校验位不正确');
  expect(() => deriveSupervisionCode('9133011')).toThrow('统一社会信用代码应为 18 位');
});

test('a signed URL verifies; changing any part of it is detected', () => {
  const signer = new SupervisionCodeSigner({ dataKey, ttlDays: 30 });
  const p = signer.sign(unit);
  expect(signer.verify(p)).toEqual({
    unitId: unit.id,
    code: unit.supervisionCode,
    expiresAt: new Date(Number(p.e) * 1000),
  });
  expect(() => signer.verify({ ...p, u: 'a1b2c3d4-0000-4000-8000-000000000000' })).toThrow(
    expect.objectContaining({ code: 'CODE_FORGED' }),
  );
  expect(() => signer.verify({ ...p, c: deriveSupervisionCode('91330109MA2C000020') })).toThrow(
    expect.objectContaining({ code: 'CODE_FORGED' }),
  );
  expect(() => signer.verify({ ...p, e: String(Number(p.e) + 86_400) })).toThrow(
    expect.objectContaining({ code: 'CODE_FORGED' }),
  );
  expect(() => signer.verify({ ...p, s: undefined })).toThrow(expect.objectContaining({ code: 'CODE_FORGED' }));
  // Another installation (another key) cannot mint codes for this one.
  const other = new SupervisionCodeSigner({ dataKey: deriveDataKey(Buffer.alloc(32, 4)), ttlDays: 30 });
  expect(() => signer.verify(other.sign(unit))).toThrow(expect.objectContaining({ code: 'CODE_FORGED' }));
  expect(signer.url('https://lg.example.gov.cn/', unit)).toMatch(
    /^https:\/\/lg\.example\.gov\.cn\/m\/code\?c=LG\w{16}&u=[\w-]+&e=\d+&s=[\w-]{43}$/,
  );
});

test('a URL signed 31 days ago with a 30-day validity has expired', () => {
  const past = new SupervisionCodeSigner({ dataKey, ttlDays: 30 }, () => Date.now() - 31 * 86_400_000);
  const signer = new SupervisionCodeSigner({ dataKey, ttlDays: 30 });
  expect(() => signer.verify(past.sign(unit))).toThrow(expect.objectContaining({ code: 'CODE_EXPIRED', status: 410 }));
});
