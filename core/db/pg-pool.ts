// The pg pool behind Prisma's Postgres adapter, made to survive a server restart. When Postgres
// ends a connection in the middle of an interactive transaction (a restart, a failover), Prisma
// 6.19's adapter never releases that connection: its ROLLBACK fails on the dead socket and the
// client stays checked out for good (found by test/integration/resilience/postgres-restart.test.ts:
// after one restart `$disconnect()` hung on it). Each restart would lose pool slots until every
// query waited forever. Here a checked-out client whose connection ended is released with an error
// (the pool then drops it), and a late release by its holder is a no-op.
import pg from 'pg';

type Releasable = pg.PoolClient & { release: (err?: Error | boolean) => void };

/** A pg.Pool that gives back checked-out clients whose connection ended. */
export class ResilientPool extends pg.Pool {
  // The promise form is the one Prisma's adapter uses for transactions; pool.query() checks out
  // with a callback and releases on errors itself.
  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void) {
    if (callback) return super.connect(callback as never);
    return super.connect().then((client) => guard(client as Releasable));
  }
}

function guard(client: Releasable): pg.PoolClient {
  const release = client.release;
  let released = false;
  const onEnd = () => {
    if (!released) setImmediate(() => client.release(new Error('connection ended while checked out')));
  };
  client.release = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('end', onEnd);
    release(err);
  };
  client.once('end', onEnd);
  return client;
}
