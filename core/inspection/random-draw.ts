// 双随机 (random unit, random inspectors) on-site inspection draws, reproducible from a recorded
// seed: anyone holding the draw's seed and inputs can recompute it (replayDraw) and see that the
// picks were not chosen by hand. The generator is HMAC-SHA256(seed, counter) read as 32-bit
// integers, with rejection sampling so every index is equally likely; inputs are sorted by id
// before drawing so the database's row order cannot influence the result.
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Inputs of a draw (what InspectionDraw.params stores). */
export interface DrawParams {
  unitIds: string[];
  inspectorIds: string[];
  unitCount: number;
  inspectorsPerUnit: number;
}

/** One pick: a unit and its inspectors. */
export interface DrawPick {
  unitId: string;
  inspectorIds: string[];
}

/** A fresh 128-bit seed, hex. */
export function newSeed(): string {
  return randomBytes(16).toString('hex');
}

/** Deterministic uniform integers in [0, n) from a seed. */
class SeededRandom {
  private counter = 0;
  private buf = Buffer.alloc(0);

  constructor(private readonly seed: string) {}

  private next32(): number {
    if (this.buf.length < 4) {
      this.buf = createHmac('sha256', this.seed).update(String(this.counter++)).digest();
    }
    const v = this.buf.readUInt32BE(0);
    this.buf = this.buf.subarray(4);
    return v;
  }

  below(n: number): number {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const v = this.next32();
      if (v < limit) return v % n;
    }
  }

  /** The first k elements of a seeded Fisher–Yates shuffle. */
  sample<T>(items: readonly T[], k: number): T[] {
    const a = [...items];
    const take = Math.min(k, a.length);
    for (let i = 0; i < take; i++) {
      const j = i + this.below(a.length - i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a.slice(0, take);
  }
}

/** The draw's picks: units first, then inspectors for each unit in turn (different people per unit). */
export function drawFromSeed(seed: string, params: DrawParams): DrawPick[] {
  const rnd = new SeededRandom(seed);
  const units = rnd.sample([...params.unitIds].sort(), params.unitCount);
  const inspectors = [...params.inspectorIds].sort();
  return units.map((unitId) => ({ unitId, inspectorIds: rnd.sample(inspectors, params.inspectorsPerUnit).sort() }));
}

const storedParams = z.object({
  unitIds: z.array(z.string()),
  inspectorIds: z.array(z.string()),
  unitCount: z.number().int().min(0),
  inspectorsPerUnit: z.number().int().min(0),
});

/** True when the recorded picks are exactly what the recorded seed and inputs give (stored JSON is re-checked). */
export function replayDraw(draw: { seed: string; params: unknown; picks: unknown }): boolean {
  const params = storedParams.safeParse(draw.params);
  if (!params.success) return false;
  return JSON.stringify(drawFromSeed(draw.seed, params.data)) === JSON.stringify(draw.picks);
}
