// One follow pass at a time (issue #21): the scheduler starts a pass every TODO_FOLLOW_MS, and a pass
// that derives a large subject (a warning covering 10,000 key units) lasts longer than that. Passes
// that overlapped all read the same events and queued behind the subject's lock, each holding a
// database connection, until the worker had none left for sending. A pass now takes a lease (a
// SystemSetting row, so every process sees it) and a pass finding it held does nothing: the pass
// holding it reads every event up to the newest before it lets go. The lease expires on its own if
// its holder dies.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db';

/** The lease's SystemSetting key (the follower's own bookkeeping, like its cursor). */
export const TODO_LEASE_KEY = 'todos.follow.lease';

/** Takes the lease for `ms`; returns its token, or null while another pass holds it. */
export async function takeFollowLease(prisma: PrismaClient, ms: number): Promise<string | null> {
  const token = randomUUID();
  const value = JSON.stringify({ token, until: Date.now() + ms });
  const rows = await prisma.$queryRaw<Array<{ key: string }>>`
    INSERT INTO "SystemSetting" (key, value, "updatedAt") VALUES (${TODO_LEASE_KEY}, ${value}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now()
    WHERE ("SystemSetting".value->>'until')::numeric < ${Date.now()}
    RETURNING key`;
  return rows.length > 0 ? token : null;
}

/** Lets the lease go (only the holder's own). */
export async function releaseFollowLease(prisma: PrismaClient, token: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "SystemSetting" SET value = jsonb_set(value, '{until}', '0'::jsonb), "updatedAt" = now()
     WHERE key = ${TODO_LEASE_KEY} AND value->>'token' = ${token}`;
}
