// 双随机 draws are reproducible from their seed, independent of input order, and pick distinct
// units and distinct inspectors per unit.
import { drawFromSeed, newSeed, replayDraw } from '../../../core/inspection/random-draw';

const units = Array.from({ length: 40 }, (_, i) => `unit-${String(i).padStart(2, '0')}`);
const inspectors = ['p-a', 'p-b', 'p-c', 'p-d', 'p-e'];
const params = { unitIds: units, inspectorIds: inspectors, unitCount: 6, inspectorsPerUnit: 2 };

test('the same seed gives the same picks, whatever the order of the inputs', () => {
  const seed = newSeed();
  const a = drawFromSeed(seed, params);
  const b = drawFromSeed(seed, { ...params, unitIds: [...units].reverse(), inspectorIds: [...inspectors].reverse() });
  expect(b).toEqual(a);
  expect(replayDraw({ seed, params, picks: a })).toBe(true);
  expect(
    replayDraw({
      seed,
      params,
      picks: [{ ...a[0]!, unitId: units.find((u) => !a.some((p) => p.unitId === u))! }, ...a.slice(1)],
    }),
  ).toBe(false);
});

test('picks are distinct units with two distinct inspectors each; other seeds give other draws', () => {
  const picks = drawFromSeed('00112233445566778899aabbccddeeff', params);
  expect(picks).toHaveLength(6);
  expect(new Set(picks.map((p) => p.unitId)).size).toBe(6);
  for (const p of picks) {
    expect(p.inspectorIds).toHaveLength(2);
    expect(new Set(p.inspectorIds).size).toBe(2);
    expect(p.inspectorIds.every((i) => inspectors.includes(i))).toBe(true);
  }
  const others = new Set(Array.from({ length: 20 }, () => JSON.stringify(drawFromSeed(newSeed(), params))));
  expect(others.size).toBeGreaterThan(15);
});

test('every unit is about equally likely to be drawn', () => {
  const counts = new Map<string, number>(units.map((u) => [u, 0]));
  for (let i = 0; i < 2000; i++) {
    for (const p of drawFromSeed(`seed-${i}`, { ...params, unitCount: 1 }))
      counts.set(p.unitId, counts.get(p.unitId)! + 1);
  }
  // 2000 draws over 40 units: 50 expected each; a fair draw stays well inside 20..80.
  for (const c of counts.values()) expect(c).toBeGreaterThan(20);
  for (const c of counts.values()) expect(c).toBeLessThan(80);
});
