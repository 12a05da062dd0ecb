// The database module: the generated Prisma client, how to open and migrate the database.
// Import from here, never from ./generated directly.
import type { Prisma } from './generated/client';

export { PrismaClient, Prisma } from './generated/client';
export * from './generated/enums';
export type * from './generated/models';
export { openDatabase, postgresAdapter, unreachable, type Database, type DatabaseConfig } from './client';
export {
  applyMigrations,
  readMigrations,
  checksumOf,
  pgExecutor,
  pgliteExecutor,
  MIGRATIONS_DIR,
  type MigrationExecutor,
  type MigrationRun,
  type SqlSession,
} from './migrate';
export { MigrationError } from './errors';
export { createPgliteAdapter } from './pglite-adapter';
export { embeddedServer, lockFileOf, type EmbeddedSocket } from './pglite-server';

/** The client handed to an interactive transaction's callback (`prisma.$transaction(async (tx) => ...)`). */
export type Tx = Prisma.TransactionClient;
