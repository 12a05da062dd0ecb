import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  blindIndex,
  blindIndexes,
  ciphertextKeyId,
  decrypt,
  DecryptionError,
  deriveDataKey,
  encrypt,
  keyring,
  loadDataKey,
  maskIdNumber,
  maskMobile,
  maskName,
  mobileBlindIndex,
  mobileBlindIndexes,
  normalizeMobile,
  protectMobile,
  revealMobile,
} from '../../../core/crypto';
import { ConfigError } from '../../../core/errors';

const key = deriveDataKey(Buffer.alloc(32, 7));
const otherKey = deriveDataKey(Buffer.alloc(32, 8));

describe('personal data encryption', () => {
  it('round-trips, with a fresh IV each time', () => {
    const a = encrypt(key, '13812341234', 'Person.mobile');
    const b = encrypt(key, '13812341234', 'Person.mobile');
    expect(a).not.toBe(b);
    expect(a.startsWith(`v2:${key.fingerprint}:`)).toBe(true);
    expect(ciphertextKeyId(a)).toBe(key.fingerprint);
    expect(a).not.toContain('1381234');
    expect(decrypt(key, a, 'Person.mobile')).toBe('13812341234');
    expect(decrypt(key, encrypt(key, '浙江省杭州市余杭区 🌩'), '')).toBe('浙江省杭州市余杭区 🌩');
    expect(decrypt(key, encrypt(key, ''))).toBe('');
  });

  it('refuses a wrong key, a wrong context, tampering and garbage', () => {
    const c = encrypt(key, 'secret', 'Person.mobile');
    expect(() => decrypt(otherKey, c, 'Person.mobile')).toThrow(DecryptionError);
    expect(() => decrypt(key, c, 'Person.idNumber')).toThrow(DecryptionError);
    const raw = Buffer.from(c.slice(12), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => decrypt(key, `v2:${key.fingerprint}:${raw.toString('base64url')}`, 'Person.mobile')).toThrow(
      DecryptionError,
    );
    expect(() => decrypt(key, 'v1:AAAA')).toThrow(DecryptionError);
    expect(() => decrypt(key, 'plain')).toThrow(DecryptionError);
  });

  it('reads values under a previous key and legacy v1 values; never a key it was not given', () => {
    const rotated = deriveDataKey(Buffer.alloc(32, 9), [Buffer.alloc(32, 7)]);
    expect(rotated.previous.map((k) => k.fingerprint)).toEqual([key.fingerprint]);
    const old = encrypt(key, '13812341234', 'Person.mobile');
    expect(decrypt(rotated, old, 'Person.mobile')).toBe('13812341234');
    // New values are written under the current key only.
    const fresh = encrypt(rotated, '13812341234', 'Person.mobile');
    expect(ciphertextKeyId(fresh)).toBe(rotated.fingerprint);
    expect(() => decrypt(key, fresh, 'Person.mobile')).toThrow(DecryptionError);
    expect(() => decrypt(otherKey, old, 'Person.mobile')).toThrow(DecryptionError);
    // v1: same payload without a key id, as written before the fingerprint was added.
    const legacy = `v1:${old.slice(`v2:${key.fingerprint}:`.length)}`;
    expect(ciphertextKeyId(legacy)).toBeNull();
    expect(decrypt(rotated, legacy, 'Person.mobile')).toBe('13812341234');
    expect(() => decrypt(otherKey, legacy, 'Person.mobile')).toThrow(DecryptionError);
    // An unknown fingerprint is refused without trying keys it does not name.
    expect(() => decrypt(rotated, old.replace(key.fingerprint, '00000000'), 'Person.mobile')).toThrow(DecryptionError);
    // Look-ups match under every known key, current first.
    expect(mobileBlindIndexes(rotated, '13812341234')).toEqual([
      mobileBlindIndex(rotated, '13812341234'),
      mobileBlindIndex(key, '13812341234'),
    ]);
    expect(blindIndexes(key, 'idNumber', 'x')).toEqual([blindIndex(key, 'idNumber', 'x')]);
  });

  it('computes blind indexes per key and kind, normalising mobiles', () => {
    expect(mobileBlindIndex(key, '+86 138-1234-1234')).toBe(mobileBlindIndex(key, '13812341234'));
    expect(mobileBlindIndex(key, '13812341234')).not.toBe(mobileBlindIndex(otherKey, '13812341234'));
    expect(blindIndex(key, 'mobile', 'x')).not.toBe(blindIndex(key, 'idNumber', 'x'));
    expect(blindIndex(key, 'mobile', 'x')).toMatch(/^[0-9a-f]{64}$/);
    expect(normalizeMobile('008613812341234')).toBe('13812341234');
    expect(normalizeMobile('12345')).toBeNull();
  });

  it('protectMobile gives the three Person columns', () => {
    const p = protectMobile(key, '138 1234 1234');
    expect(p.mobileMasked).toBe('138****1234');
    expect(p.mobileHash).toBe(mobileBlindIndex(key, '13812341234'));
    expect(revealMobile(key, p.mobileEnc)).toBe('13812341234');
  });

  it('masks mobiles, ID numbers and names', () => {
    expect(maskMobile('13812341234')).toBe('138****1234');
    expect(maskMobile('+8613812341234')).toBe('138****1234');
    expect(maskMobile('0571-88888888')).toBe('****');
    expect(maskMobile(null)).toBe('');
    expect(maskIdNumber('33010219900101123x')).toBe('330102********123X');
    expect(maskIdNumber('330102900101123')).toBe('330102*****1123');
    expect(maskIdNumber('abc')).toBe('****');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
  });
});

describe('loadDataKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lg-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts hex and base64 keys from config', () => {
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.from(hex, 'hex').toString('base64');
    const a = loadDataKey({ dataKey: hex }, dir);
    const b = loadDataKey({ dataKey: b64 }, dir);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(decrypt(b, encrypt(a, 'x'))).toBe('x');
    expect(() => statSync(path.join(dir, 'secret.key'))).toThrow(); // nothing written
  });

  it('rejects a key that is not 32 bytes, naming the variable', () => {
    const err = (() => {
      try {
        loadDataKey({ dataKey: 'ab'.repeat(31) }, dir);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]!.variable).toBe('DATA_ENCRYPTION_KEY');
  });

  it('adds the previous keys of DATA_ENCRYPTION_KEYS_PREVIOUS, and names the variable when one is bad', () => {
    const k = loadDataKey(
      {
        dataKey: 'ab'.repeat(32),
        previousDataKeys: ` ${'cd'.repeat(32)}, ${Buffer.alloc(32, 1).toString('base64')} `,
      },
      dir,
    );
    expect(k.previous.map((p) => p.fingerprint)).toEqual([
      deriveDataKey(Buffer.from('cd'.repeat(32), 'hex')).fingerprint,
      deriveDataKey(Buffer.alloc(32, 1)).fingerprint,
    ]);
    expect(keyring(k)).toHaveLength(3);
    const err = (() => {
      try {
        loadDataKey({ dataKey: 'ab'.repeat(32), previousDataKeys: `${'cd'.repeat(32)},nope` }, dir);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]).toMatchObject({
      variable: 'DATA_ENCRYPTION_KEYS_PREVIOUS',
      message: expect.stringContaining('第 2 个旧密钥无效'),
    });
  });

  it('generates <dataDir>/secret.key once, mode 0600, and reuses it', () => {
    const sub = path.join(dir, 'data');
    const a = loadDataKey({}, sub);
    const file = path.join(sub, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const b = loadDataKey({}, sub);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(decrypt(b, encrypt(a, '13812341234'))).toBe('13812341234');
  });
});
