#!/usr/bin/env node
// `npx leiguard <command>`: the operator CLI (app/cli). TypeScript is loaded through tsx, as
// `npm start` does, so the CLI runs the same sources as the service.
//
// The Prisma client is generated code (core/db/generated, not in git). `npm start` and `npm test`
// generate it first; a fresh clone where only `npm ci` ran has none (npm 11 runs no dependency's
// install script), so the CLI generates it here when it is missing or older than the schema.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const schema = path.join(root, 'prisma', 'schema.prisma');
const client = path.join(root, 'core', 'db', 'generated', 'client.ts');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

const generated = mtime(client);
if (generated === undefined || generated < (mtime(schema) ?? 0)) {
  process.stderr.write('正在生成数据库访问代码（prisma generate，仅首次或数据库结构更新后需要）…\n');
  // The Prisma CLI looks for native engines at start; any existing file satisfies it, nothing is
  // downloaded (the query compiler is WebAssembly; see the README's "Offline install").
  const r = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    process.stderr.write(
      '错误：生成数据库访问代码失败（prisma generate），请在项目目录运行 npm run db:generate 查看原因。\n',
    );
    process.exit(1);
  }
}

// tsx's hooks as `node --import tsx` (npm start) installs them: the CommonJS one for require and
// the ESM one for the dynamic import() of modules loaded only when needed (app/embedded in the
// embedded mode), which Node hands to its ESM loader even from CommonJS code. (tsx/cjs/api alone
// leaves import() unhooked, and tsx/esm/api's CommonJS build cannot find its own hooks file.)
import('tsx').then(
  () => require('../app/cli/run.ts'),
  (err) => {
    process.stderr.write(`错误：无法加载 TypeScript 运行环境（tsx）：${err.message}\n请在项目目录运行 npm ci。\n`);
    process.exit(1);
  },
);
