// Shared bits of the factories: the client type they accept and unique sequences.
import { randomBytes } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../core/db/generated/client';
import { deriveDataKey } from '../../core/crypto';

/** A client or an interactive-transaction client. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** Fixed data key for tests (never used outside tests). */
export const TEST_DATA_KEY = deriveDataKey(Buffer.alloc(32, 0x42));

let counter = 0;
const run = randomBytes(2).toString('hex');

/** A number unique within this test process. */
export function nextSeq(): number {
  return ++counter;
}

/** A short string unique within this test process (and unlikely across processes). */
export function uniqueSuffix(): string {
  return `${run}${nextSeq()}`;
}
