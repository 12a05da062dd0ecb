// `npm run bench:import` (issue #9): the real `leiguard import` binary on a 20,000-row unit file
// (.xlsx, then the same rows as .csv), first import and re-import, against a fresh Postgres
// database. Wall time of the whole process (start-up included) and its peak RSS (VmHWM from
// /proc, sampled every 20 ms). Target: under 30 s and under 300 MB. Prints a table; copy the
// figures into the README.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { generateUscc } from '../core/domain/uscc';
import { LABELS } from '../core/domain/labels';
import { createEmptyDatabase } from '../test/helpers/db';

const ROWS = 20_000;
const BIN = path.resolve(__dirname, '../bin/leiguard.cjs');
const COUNTIES = ['330102', '330105', '330106', '330108', '330109', '330110', '330111', '330112', '330113', '330114'];

function hwmMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ seconds: number; peakMb: number; stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, hwmMb(child.pid!))), 20);
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`leiguard ${args.join(' ')} exited ${code}\n${stdout}\n${stderr}`));
      else resolve({ seconds, peakMb: peak, stdout, code });
    });
  });
}

function row(i: number): string[] {
  const county = COUNTIES[i % COUNTIES.length]!;
  const categories = Object.values(LABELS.UnitCategory);
  return [
    generateUscc(county, 500_000 + i),
    `基准测试重点单位${i}号有限公司`,
    county,
    `杭州市示例路 ${i} 号`,
    categories[i % categories.length]!,
    String((i % 3) + 1),
    i % 2 ? '是' : '否',
    `2026-0${(i % 9) + 1}-1${i % 10}`,
    (120 + (i % 1000) / 1000).toFixed(4),
    (30 + (i % 1000) / 1000).toFixed(4),
  ];
}

const HEADER = [
  '统一社会信用代码*',
  '单位名称*',
  '行政区划代码*',
  '详细地址*',
  '单位类别*',
  '防雷类别*',
  '每半年检测',
  '上次检测日期',
  '经度',
  '纬度',
];

async function writeXlsx(file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('重点单位');
  ws.addRow(HEADER).commit();
  for (let i = 0; i < ROWS; i++) ws.addRow(row(i)).commit();
  ws.commit();
  await wb.commit();
}

function writeCsv(file: string): void {
  const lines = [HEADER.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(row(i).join(','));
  fs.writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-bench-import-'));
  const xlsx = path.join(dir, 'units.xlsx');
  const csv = path.join(dir, 'units.csv');
  await writeXlsx(xlsx);
  writeCsv(csv);
  const results: Array<{ scenario: string; seconds: number; peakMb: number; summary: string }> = [];
  for (const [label, file] of [
    ['xlsx', xlsx],
    ['csv', csv],
  ] as const) {
    const db = await createEmptyDatabase();
    const env = { DATABASE_URL: db.url, DATA_DIR: dir, DATA_ENCRYPTION_KEY: '42'.repeat(32), LOG_LEVEL: 'warn' };
    try {
      await cli(['migrate'], env);
      const { Client } = await import('pg');
      const c = new Client({ connectionString: db.url });
      await c.connect();
      await c.query(
        `INSERT INTO "Region" (code, name, level, "parentCode") VALUES ('330000','浙江省','PROVINCE',NULL), ('330100','杭州市','CITY','330000')`,
      );
      for (const code of COUNTIES)
        await c.query(`INSERT INTO "Region" (code, name, level, "parentCode") VALUES ($1, $2, 'COUNTY', '330100')`, [
          code,
          `区${code}`,
        ]);
      await c.end();
      for (const pass of ['first import', 're-import']) {
        const r = await cli(['import', 'units', file], env);
        const summary = /共 .*?。/.exec(r.stdout)?.[0] ?? r.stdout.trim();
        results.push({ scenario: `${label} ${pass}`, seconds: r.seconds, peakMb: r.peakMb, summary });
      }
    } finally {
      await db.drop();
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    `\n${ROWS.toLocaleString('en-US')}-row unit file, real \`leiguard import\` process (start-up included), ${os.cpus().length} cores\n`,
  );
  console.log('| scenario | seconds | peak RSS MB | rows/s | result |');
  console.log('|---|---:|---:|---:|---|');
  for (const r of results) {
    console.log(
      `| ${r.scenario} | ${r.seconds.toFixed(2)} | ${r.peakMb.toFixed(0)} | ${Math.round(ROWS / r.seconds)} | ${r.summary} |`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
