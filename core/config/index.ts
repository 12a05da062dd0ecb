// The only module that reads process.env. It validates at boot and exports a frozen,
// typed config, one section per concern (./<section>.ts). Every variable is documented in
// .env.example; a bad value names the variable. How to add a setting: docs/config.md.
// `npm start` and the CLI also read `.env` in the working directory when there is one; a variable
// set in the process environment wins over the file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../errors/config-error';
import { approvalSettings } from './approval';
import { calendarSettings } from './calendar';
import { cryptoSettings } from './crypto';
import { digestSettings } from './digest';
import { fieldWorkSettings } from './field-work';
import { directorySettings } from './directory';
import { dingtalkSettings } from './dingtalk';
import { govSettings } from './gov';
import { hazardSettings } from './hazard';
import { inspectionSettings } from './inspection';
import { interviewSettings } from './interview';
import { jobsSettings } from './jobs';
import { rankingSettings } from './ranking';
import { redisSettings } from './redis';
import { runtimeSettings } from './runtime';
import { serverSettings } from './server';
import type { SectionSpec, SectionValues } from './setting';
import { testReportSettings } from './test-report';
import { todoSettings } from './todo';
import { warningSettings } from './warning';

export type { Role } from './runtime';
export { redisConnectionOptions, createRedis, describeRedis, type RedisTarget, type SentinelAddress } from './redis';

/** Every section, by the name the code reads it under (config.<section>.<setting>). */
const SECTIONS = {
  runtime: runtimeSettings,
  redis: redisSettings,
  crypto: cryptoSettings,
  server: serverSettings,
  dingtalk: dingtalkSettings,
  gov: govSettings,
  jobs: jobsSettings,
  calendar: calendarSettings,
  directory: directorySettings,
  hazard: hazardSettings,
  approval: approvalSettings,
  warning: warningSettings,
  testReport: testReportSettings,
  digest: digestSettings,
  ranking: rankingSettings,
  interview: interviewSettings,
  inspection: inspectionSettings,
  fieldWork: fieldWorkSettings,
  todo: todoSettings,
} as const satisfies Record<string, SectionSpec>;

type Sections = typeof SECTIONS;
type Parsed = { readonly [S in keyof Sections]: SectionValues<Sections[S]> };

/** Process settings once resolved: the simulator and the demo follow from the credentials. */
export type RuntimeConfig = Readonly<
  Omit<Parsed['runtime'], 'simulator' | 'demoSeed'> & {
    /** The system's PATH: where a private redis-server is looked for. */
    searchPath: string;
    /** No DATABASE_URL: the embedded PGlite in dataDir. */
    embeddedDb: boolean;
    /** The embedded DingTalk simulator runs (SIMULATOR, else: no credentials). */
    simulator: boolean;
    /** Seed the demo data set (DEMO_SEED, else: with the simulator). */
    demoSeed: boolean;
  }
>;

/** Validated, frozen configuration. */
export type Config = Readonly<Omit<Parsed, 'runtime'> & { runtime: RuntimeConfig }>;

/** Settings of one section, e.g. `Settings<'hazard'>`: what a module takes instead of the whole config. */
export type Settings<S extends keyof Config> = Config[S];

/** Every setting's variable name, with its section and name in it (for docs and checks). */
export function listSettings(): Array<{ env: string; section: string; name: string }> {
  return Object.entries(SECTIONS).flatMap(([section, spec]) =>
    Object.entries(spec as SectionSpec).map(([name, s]) => ({ env: s.env, section, name })),
  );
}

/** Every variable the configuration reads (.env.example documents each; a unit test checks both ways). */
export const CONFIG_VARIABLES: readonly string[] = listSettings().map((s) => s.env);

/** The file `npm start` and the CLI read settings from, in the working directory. */
export const ENV_FILE = '.env';

/**
 * The variables of `.env` in `dir` (empty when there is none). Node's own parser (util.parseEnv,
 * the one behind `node --env-file`): KEY=value lines, # comments, quoted values may span lines.
 */
export function readEnvFile(dir = process.cwd()): Record<string, string> {
  const file = path.join(dir, ENV_FILE);
  if (!existsSync(file)) return {};
  const vars = parseEnv(readFileSync(file, 'utf8'));
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Variables whose values a configuration error never repeats. */
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|KEY|AES/;

/** One object schema keyed by variable name, so that a problem names the variable. */
const envSchema = z.object(
  Object.fromEntries(
    Object.values(SECTIONS).flatMap((spec) => Object.values(spec as SectionSpec).map((s) => [s.env, s.schema])),
  ),
);

/**
 * Parses an environment with optional overrides on top (the start-up wiring points DingTalk at the
 * embedded simulator this way); throws ConfigError naming each bad variable. Without `env`: the
 * process environment over `.env` in the working directory.
 */
export function loadConfig(env?: NodeJS.ProcessEnv, overrides: Record<string, string> = {}): Config {
  const file = env ? {} : readEnvFile();
  const source: NodeJS.ProcessEnv = env ?? { ...file, ...process.env };
  // People read these messages: zod's own ones in Chinese where a field has none of its own.
  const parsed = envSchema.safeParse({ ...source, ...overrides }, { error: z.locales.zhCN().localeError });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const variable = String(i.path[0] ?? '?');
      // Say where a bad value came from (an operator who edited .env looks there first) and what it
      // was, unless it is a secret.
      const fromFile = variable in file && !(variable in process.env) && !(variable in overrides);
      const value = ({ ...source, ...overrides } as Record<string, string | undefined>)[variable];
      const shown = value !== undefined && !SECRET_NAME.test(variable) && value.length <= 80 ? `「${value}」` : '';
      const where = fromFile ? `${ENV_FILE} 文件中为${shown}` : `环境变量中为${shown}`;
      return {
        variable,
        message:
          fromFile && !shown ? `${i.message}（来自 ${ENV_FILE} 文件）` : shown ? `${i.message}（${where}）` : i.message,
      };
    });
    throw new ConfigError(problems);
  }
  const values = parsed.data as Record<string, unknown>;
  const sections = Object.fromEntries(
    Object.entries(SECTIONS).map(([section, spec]) => [
      section,
      Object.fromEntries(Object.entries(spec as SectionSpec).map(([name, s]) => [name, values[s.env]])),
    ]),
  ) as unknown as Parsed;
  const { dingtalk, runtime } = sections;
  const hasCreds = Boolean(dingtalk.appKey && dingtalk.appSecret);
  if (Boolean(dingtalk.appKey) !== Boolean(dingtalk.appSecret)) {
    throw new ConfigError([
      {
        variable: dingtalk.appKey ? 'DINGTALK_APP_SECRET' : 'DINGTALK_APP_KEY',
        message: 'DINGTALK_APP_KEY 与 DINGTALK_APP_SECRET 必须同时设置',
      },
    ]);
  }
  if (sections.redis.sentinels && !sections.redis.sentinelName) {
    throw new ConfigError([
      { variable: 'REDIS_SENTINEL_NAME', message: '设置 REDIS_SENTINELS 时必须同时设置主节点名称 REDIS_SENTINEL_NAME' },
    ]);
  }
  const simulator = runtime.simulator ?? !hasCreds;
  if (!simulator && !hasCreds) {
    throw new ConfigError([
      { variable: 'DINGTALK_APP_KEY', message: '关闭模拟器（SIMULATOR=false）时必须配置钉钉应用凭证' },
    ]);
  }
  const resolved: RuntimeConfig = {
    ...runtime,
    dataDir: path.resolve(runtime.dataDir),
    searchPath: source.PATH ?? '',
    embeddedDb: !runtime.databaseUrl,
    simulator,
    demoSeed: runtime.demoSeed ?? simulator,
  };
  const config = { ...sections, runtime: resolved };
  for (const section of Object.values(config)) Object.freeze(section);
  return Object.freeze(config);
}
