// A test runtime on the demo data set (core/db/seed-demo), its people known to the simulator.
import { loadDataKey } from '../../core/crypto';
import { listDirectoryForDingTalk, seedDemo } from '../../core/db/seed-demo';
import { addUsers, startTestRuntime, type TestRuntime } from './runtime';

/** Starts a runtime on a fresh database seeded with the demo data. */
export async function startDemoRuntime(): Promise<TestRuntime> {
  const dataKey = loadDataKey({ dataKey: Buffer.alloc(32, 7).toString('hex') }, '/nonexistent');
  const t = await startTestRuntime({ seed: async (db) => void (await seedDemo(db.prisma, dataKey)) });
  const people = await listDirectoryForDingTalk(t.db.prisma, dataKey);
  await addUsers(
    t,
    people.map((p) => ({ userId: p.dingUserId, name: p.name })),
  );
  return t;
}
