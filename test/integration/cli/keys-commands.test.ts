// Rotation of the personal-data key through the real `leiguard` binary: `keys status` counts what
// is left under an old key, `keys rotate` re-encrypts and re-indexes in audited batches, survives
// being killed in the middle, does nothing the second time, and leaves every value readable with
// the new key alone. Printed supervision-code QR signs stay valid across the rotation.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  deriveDataKey,
  encrypt,
  mobileBlindIndex,
  blindIndex,
  protectIdNumber,
  protectMobile,
  revealMobile,
  decrypt,
  type DataKey,
} from '../../../core/crypto';
import { ENCRYPTED_TABLES, type KeyUsageReport } from '../../../core/crypto/key-usage';
import { pinnedSupervisionCodeKey, SupervisionCodeSigner } from '../../../core/inspection/supervision-code';
import { runCli } from '../../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';

const PEOPLE = 160;
const OLD = Buffer.alloc(32, 0x42);
const NEW = Buffer.alloc(32, 0x5a);
const oldKey = deriveDataKey(OLD);
const newOnly = deriveDataKey(NEW);
const both = deriveDataKey(NEW, [OLD]);
const mobileOf = (i: number) => `1361000${String(i).padStart(4, '0')}`;
const idOf = (i: number) => `33011019800101${String(1000 + i).slice(-3)}X`;

describe('leiguard keys', () => {
  let db: TestDatabase;
  let dir: string;
  let base: Record<string, string>;
  /** The service after step 1 of the procedure: new key current, the old one still readable. */
  let rotating: Record<string, string>;
  /** After the last step: the old key removed. */
  let finished: Record<string, string>;

  const status = async (env: Record<string, string>) => {
    const r = await runCli(['keys', 'status', '--json'], env);
    return { code: r.code, report: JSON.parse(r.stdout) as KeyUsageReport };
  };
  const rotations = () => db.prisma.auditEvent.count({ where: { action: 'data_key.rotated' } });

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-keys-'));
    base = { DATABASE_URL: db.url, DATA_DIR: dir };
    rotating = {
      ...base,
      DATA_ENCRYPTION_KEY: NEW.toString('hex'),
      DATA_ENCRYPTION_KEYS_PREVIOUS: OLD.toString('base64'),
    };
    finished = { ...base, DATA_ENCRYPTION_KEY: NEW.toString('hex') };
  });
  afterAll(async () => {
    await db.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('lists every encrypted column of the schema', async () => {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ t: string; c: string }>>(
      `SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name LIKE '%Enc' ORDER BY 1, 2`,
    );
    const listed = ENCRYPTED_TABLES.flatMap((t) => t.columns.map((c) => ({ t: t.table, c: c.column })));
    expect(rows).toEqual(expect.arrayContaining(listed));
    expect(listed).toEqual(expect.arrayContaining(rows));
  });

  it('rotates everything, resumably and idempotently, and keeps QR signs valid', async () => {
    const p = db.prisma;
    // Written by the service under the old key: people (every third with an ID number, two in the
    // format from before key ids), their DingTalk look-ups, a group robot, the pinned QR key.
    await p.person.createMany({
      data: Array.from({ length: PEOPLE }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `人员${i}`,
        roles: ['UNIT_MANAGER' as const],
        ...protectMobile(oldKey, mobileOf(i)),
        ...(i % 3 === 0 ? protectIdNumber(oldKey, idOf(i)) : {}),
      })),
    });
    const legacy = await p.person.findMany({ where: { name: { in: ['人员1', '人员2'] } } });
    for (const l of legacy)
      await p.person.update({
        where: { id: l.id },
        data: { mobileEnc: l.mobileEnc!.replace(/^v2:[0-9a-f]{8}:/, 'v1:') },
      });
    const people = await p.person.findMany({ orderBy: { id: 'asc' } });
    await p.dingLookup.createMany({
      data: people
        .slice(0, 10)
        .map((x) => ({ personId: x.id, mobileHash: x.mobileHash!, status: 'NOT_FOUND' as const })),
    });
    // Person 10's mobile changed after its look-up: its look-up must stay outdated.
    await p.dingLookup.create({
      data: { personId: people[10]!.id, mobileHash: mobileBlindIndex(oldKey, '13900000000'), status: 'NOT_FOUND' },
    });
    const robot = await p.webhookRobot.create({
      data: {
        name: '值班群',
        webhookUrlEnc: encrypt(oldKey, 'https://oapi.example/robot/send?access_token=abc', 'webhook.url'),
        secretEnc: encrypt(oldKey, 'SECabc', 'webhook.secret'),
      },
    });
    const codeKey = await pinnedSupervisionCodeKey(p, oldKey);
    const printed = new SupervisionCodeSigner({ dataKey: oldKey, key: codeKey, ttlDays: 730 }).sign({
      id: 'unit-1',
      supervisionCode: 'LG330110MA2H00001X',
    });
    const idCount = people.filter((x) => x.idNumberEnc).length;
    const total = PEOPLE + idCount + 2 + 1;

    // The new key alone cannot read anything yet: status says so and fails (the two values without
    // a key id cannot be told apart: they count as still to rotate).
    const blind = await status(finished);
    expect(blind.code).toBe(1);
    expect(blind.report).toMatchObject({ pending: 2, unknown: total - 2, currentKey: newOnly.fingerprint });
    const text = await runCli(['keys', 'status'], finished);
    expect(text.stdout).toContain('由未配置的密钥加密，无法解密');

    // Step 1 done (new key current, old key previous): everything is pending.
    const before = await status(rotating);
    expect(before.code).toBe(0);
    expect(before.report).toMatchObject({ pending: total, unknown: 0, previousKeys: [oldKey.fingerprint] });
    expect(before.report.columns.find((c) => c.column === 'mobileEnc')).toMatchObject({
      previous: PEOPLE - 2,
      legacy: 2,
      current: 0,
    });
    expect((await runCli(['keys', 'status'], rotating)).stdout).toContain(`仍有 ${total} 项个人数据由旧密钥加密`);

    // A run killed after its first batches leaves whole batches done.
    const killed = await runCli(['keys', 'rotate', '--batch-size', '2'], rotating, {
      onStderr: (chunk, kill) => {
        if (chunk.includes('轮换人员')) kill();
      },
    });
    expect(killed.code).toBeNull();
    const partial = await status(rotating);
    expect(partial.report.pending).toBeGreaterThan(0);
    expect(partial.report.pending).toBeLessThan(total);
    const batchesDone = await rotations();
    expect(batchesDone).toBeGreaterThan(0);
    for (const x of await p.person.findMany()) {
      // Each row is wholly under one key: encryption and blind index moved together.
      const k: DataKey = x.mobileEnc!.startsWith(`v2:${newOnly.fingerprint}:`) ? newOnly : oldKey;
      expect(x.mobileHash).toBe(mobileBlindIndex(k, revealMobile(both, x.mobileEnc!)));
    }

    // The second run finishes, showing progress.
    const resumed = await runCli(['keys', 'rotate', '--batch-size', '2'], rotating);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/轮换人员 \[#+\] 100%/);
    expect(resumed.stdout).toContain('轮换完成');
    expect(await status(rotating)).toMatchObject({ code: 0, report: { pending: 0, unknown: 0 } });

    // Last step: the old key removed. Everything reads and is found with the new key alone.
    const after = await status(finished);
    expect(after).toMatchObject({ code: 0, report: { pending: 0, unknown: 0 } });
    expect(after.report.columns.reduce((a, c) => a + c.current, 0)).toBe(total);
    for (const x of await p.person.findMany({ include: { dingLookup: true } })) {
      const i = Number(x.name.slice(2));
      expect(revealMobile(newOnly, x.mobileEnc!)).toBe(mobileOf(i));
      expect(x.mobileHash).toBe(mobileBlindIndex(newOnly, mobileOf(i)));
      if (i % 3 === 0) {
        expect(decrypt(newOnly, x.idNumberEnc!, 'Person.idNumber')).toBe(idOf(i));
        expect(x.idNumberHash).toBe(blindIndex(newOnly, 'idNumber', idOf(i)));
        expect(x.idNumberMasked).toBe(protectIdNumber(newOnly, idOf(i)).idNumberMasked);
      }
      if (i < 10) expect(x.dingLookup?.mobileHash).toBe(x.mobileHash);
      if (i === 10) expect(x.dingLookup?.mobileHash).not.toBe(x.mobileHash);
    }
    const r = await p.webhookRobot.findUniqueOrThrow({ where: { id: robot.id } });
    expect(decrypt(newOnly, r.webhookUrlEnc, 'webhook.url')).toBe('https://oapi.example/robot/send?access_token=abc');
    expect(decrypt(newOnly, r.secretEnc!, 'webhook.secret')).toBe('SECabc');
    // The QR key did not change: a sign printed before the rotation still opens.
    const pinned = await pinnedSupervisionCodeKey(p, newOnly);
    expect(pinned.equals(codeKey)).toBe(true);
    expect(new SupervisionCodeSigner({ dataKey: newOnly, key: pinned, ttlDays: 730 }).verify(printed)).toMatchObject({
      unitId: 'unit-1',
    });

    // Audited per batch, in the chain; a third run changes nothing and audits nothing.
    const audited = await p.auditEvent.findMany({ where: { action: 'data_key.rotated' } });
    expect(audited.length).toBeGreaterThan(batchesDone);
    expect(audited.reduce((a, e) => a + (e.data as { values: number }).values, 0)).toBe(total);
    expect(audited.every((e) => e.subjectId === newOnly.fingerprint)).toBe(true);
    const again = await runCli(['keys', 'rotate'], finished);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('无需轮换');
    expect(await rotations()).toBe(audited.length);
    expect((await runCli(['audit', 'verify'], finished)).code).toBe(0);
    // About a dozen CLI processes, each starting tsx: generous on a loaded machine (not a timing check).
  }, 300_000);

  it('reports a value no configured key can open, and leaves it as it is', async () => {
    const stranger = deriveDataKey(Buffer.alloc(32, 0x11));
    const robot = await db.prisma.webhookRobot.create({
      data: { name: '未知密钥', webhookUrlEnc: encrypt(stranger, 'https://x', 'webhook.url') },
    });
    const run = await runCli(['keys', 'rotate'], rotating);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('由未配置的密钥加密，无法解密');
    expect(await status(rotating)).toMatchObject({ code: 1, report: { unknown: 1, pending: 0 } });
    expect((await db.prisma.webhookRobot.findUniqueOrThrow({ where: { id: robot.id } })).webhookUrlEnc).toBe(
      robot.webhookUrlEnc,
    );
  });

  it('generates a fresh key', async () => {
    const a = await runCli(['keys', 'generate'], base);
    const b = await runCli(['keys', 'generate'], base);
    expect(a.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(a.stdout).not.toBe(b.stdout);
  });
});
