// The floor for bench:callbacks: a process holding a stream connection to the simulator for the
// ACK_ONLY_APP through the same StreamConnection and frame dispatcher as LeiGuard (official SDK,
// Redis de-duplication of messageIds), whose card-callback handler only acknowledges. Started by
// bench/callbacks.ts with SIMULATOR_URL, REDIS_URL and QUEUE_PREFIX; prints READY once connected.
import { Redis } from 'ioredis';
import { StreamConnection } from '../bot/clients/stream/stream-connection';
import { loadConfig } from '../core/config';
import { ACK_ONLY_APP } from './lib';

async function main(): Promise<void> {
  const simulatorUrl = process.env.SIMULATOR_URL!;
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'production',
      SIMULATOR: 'false',
      DINGTALK_APP_KEY: ACK_ONLY_APP.appKey,
      DINGTALK_APP_SECRET: ACK_ONLY_APP.appSecret,
      DINGTALK_CORP_ID: ACK_ONLY_APP.corpId,
      DINGTALK_API_BASE: simulatorUrl,
      DINGTALK_OAPI_BASE: simulatorUrl,
    },
  );
  const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const stream = new StreamConnection({ config: config.dingtalk, redis, keyPrefix: `${process.env.QUEUE_PREFIX}:` });
  stream.onCardCallback(async () => ({}));
  await stream.start();
  process.stdout.write('READY\n');
  process.once(
    'SIGTERM',
    () =>
      void stream
        .close()
        .then(() => redis.quit())
        .then(() => process.exit(0)),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
