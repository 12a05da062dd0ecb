// 监管数字码 (supervision digital code) and the signed URL its QR sign encodes (issue #7).
//
// The code is derived from the unit's 统一社会信用代码: "LG" + the USCC's region and subject digits
// (characters 3–17) + a check character computed like the USCC's own (GB 32100 weights), so a
// mistyped code is caught without a database look-up. The QR encodes
//   <PUBLIC_BASE_URL>/m/code?c=<code>&u=<unitId>&e=<expiry, unix s>&s=<HMAC-SHA256, base64url>
// The MAC covers version, code, unit id and expiry: changing any of them (another unit's id, a
// later expiry) is detected. The key comes from SUPERVISION_CODE_KEY, else it is derived (HKDF)
// from the data key once and pinned in the database (core/crypto pinnedSecret), so rotating the
// data key does not invalidate the signs already printed.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { pinnedSecret, type DataKey } from '../crypto';
import type { PrismaClient } from '../db';
import { normalizeUscc, usccCheckChar, usccProblem, usccProblemText } from '../domain/uscc';
import { AppError, ValidationError } from '../errors';

const PREFIX = 'LG';

/** The supervision code of a unit, from its (valid) USCC; throws ValidationError otherwise. */
export function deriveSupervisionCode(uscc: string): string {
  const code = normalizeUscc(uscc);
  const problem = usccProblem(code);
  if (problem) throw new ValidationError(usccProblemText(problem), { uscc: code, problem });
  const first17 = PREFIX + code.slice(2, 17);
  return first17 + usccCheckChar(first17);
}

/** True when `code` has the shape and check character of a supervision code. */
export function isSupervisionCode(code: string): boolean {
  if (!/^LG[0-9A-HJ-NP-RTUWXY]{16}$/.test(code)) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}

/** The query of a code URL. */
export interface CodeParams {
  c: string;
  u: string;
  e: string;
  s: string;
}

/** Why a code URL was refused (stable codes; the messages are for people). */
export class CodeRefusedError extends AppError {
  constructor(code: 'CODE_FORGED' | 'CODE_EXPIRED' | 'CODE_REVOKED', message: string) {
    super(code, message, { status: code === 'CODE_EXPIRED' ? 410 : 400 });
  }
}

/** The code key derived from a data key (what sites without SUPERVISION_CODE_KEY signed with). */
export function derivedSupervisionCodeKey(dataKey: DataKey): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey.macKey, Buffer.alloc(0), 'leiguard/v1/supervision-code', 32));
}

/**
 * The code key of a site without SUPERVISION_CODE_KEY: derived from the data key once, then
 * pinned (encrypted) in the database so that a data-key rotation leaves it unchanged. Pinned for
 * the first time while previous keys are configured (an upgrade in the middle of a rotation), it
 * derives from the key being replaced, which is what the signs in circulation were signed with.
 */
export function pinnedSupervisionCodeKey(prisma: PrismaClient, dataKey: DataKey): Promise<Buffer> {
  return pinnedSecret(prisma, dataKey, 'supervision-code', () =>
    derivedSupervisionCodeKey(dataKey.previous[0] ?? dataKey),
  );
}

/** Signs and checks supervision code URLs. */
export class SupervisionCodeSigner {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;

  /** `key`: SUPERVISION_CODE_KEY (text) or the key pinned in the database (bytes, see pinnedSupervisionCodeKey). */
  constructor(
    opts: { dataKey: DataKey; key?: string | Buffer; ttlDays: number },
    private readonly now: () => number = Date.now,
  ) {
    this.key =
      typeof opts.key === 'string'
        ? Buffer.from(opts.key, 'utf8')
        : (opts.key ?? derivedSupervisionCodeKey(opts.dataKey));
    this.ttlSeconds = opts.ttlDays * 86_400;
  }

  /** Query parameters of a fresh URL for the unit's code, valid for the configured days. */
  sign(unit: { id: string; supervisionCode: string }): CodeParams {
    const e = String(Math.floor(this.now() / 1000) + this.ttlSeconds);
    return { c: unit.supervisionCode, u: unit.id, e, s: this.mac(unit.supervisionCode, unit.id, e) };
  }

  /** The full URL a QR sign encodes. */
  url(publicBaseUrl: string, unit: { id: string; supervisionCode: string }): string {
    const q = new URLSearchParams({ ...this.sign(unit) });
    return `${publicBaseUrl.replace(/\/+$/, '')}/m/code?${q.toString()}`;
  }

  /** Checks a URL's parameters; returns the unit id and code, or throws CodeRefusedError. */
  verify(raw: Partial<Record<keyof CodeParams, unknown>>): { unitId: string; code: string; expiresAt: Date } {
    const forged = () => new CodeRefusedError('CODE_FORGED', '监管码无效：二维码内容被篡改或不是雷卫签发的监管码');
    const { c, u, e, s } = raw;
    if (typeof c !== 'string' || typeof u !== 'string' || typeof e !== 'string' || typeof s !== 'string')
      throw forged();
    if (!/^\d{1,12}$/.test(e) || !/^[A-Za-z0-9_-]{43}$/.test(s) || u.length > 64 || c.length > 64) throw forged();
    const expected = Buffer.from(this.mac(c, u, e), 'utf8');
    if (!timingSafeEqual(expected, Buffer.from(s, 'utf8'))) throw forged();
    const expiresAt = new Date(Number(e) * 1000);
    if (expiresAt.getTime() <= this.now()) {
      throw new CodeRefusedError('CODE_EXPIRED', '监管码已过期，请联系属地气象主管机构重新打印监管码');
    }
    return { unitId: u, code: c, expiresAt };
  }

  private mac(code: string, unitId: string, exp: string): string {
    return createHmac('sha256', this.key).update(`v1|${code}|${unitId}|${exp}`, 'utf8').digest('base64url');
  }
}
