// Third-party browser libraries served from this server (government networks often cannot reach a
// CDN, and the page CSP allows scripts from 'self' only):
// - echarts: only what the dashboard draws (bar, line and pie charts, grid, legend, tooltip, aria,
//   canvas), built from echarts' modular imports (https://echarts.apache.org/handbook/en/basics/import):
//   575 KB instead of the full 1.1 MB dist/echarts.min.js, 166 KB with brotli;
// - dingtalk-jsapi: published as CommonJS modules only, so it is bundled into one script exposing
//   `window.dd`.
// Both are bundled once, on first request, with esbuild (which the toolchain already ships via tsx).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const cache = new Map<string, string>();

const ECHARTS_ENTRY = `
import { init, use } from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';
use([BarChart, LineChart, PieChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, LabelLayout, CanvasRenderer]);
export { init };
`;

/** The version of a served vendor file (its package's), for cache-busting URLs. */
export function vendorVersion(name: string): string | undefined {
  const pkg = { 'echarts.js': 'echarts', 'dingtalk-jsapi.js': 'dingtalk-jsapi' }[name];
  if (!pkg) return undefined;
  const json = JSON.parse(
    readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'package.json'), 'utf8'),
  );
  return String(json.version);
}

function bundle(entry: { stdin?: string; file?: string }, globalName: string): string {
  // Loaded lazily: only pages need it, and tests that never open a page skip the bundling.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    ...(entry.stdin
      ? { stdin: { contents: entry.stdin, resolveDir: __dirname, loader: 'js' as const } }
      : { entryPoints: [entry.file!] }),
    bundle: true,
    format: 'iife',
    globalName,
    minify: true,
    write: false,
    platform: 'browser',
    target: 'es2017',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

function build(name: string): string | undefined {
  switch (name) {
    case 'echarts.js':
      return bundle({ stdin: ECHARTS_ENTRY }, 'echarts');
    case 'dingtalk-jsapi.js':
      return bundle({ file: require.resolve('dingtalk-jsapi') }, 'dd');
    default:
      return undefined;
  }
}

/** The file's text, or undefined when no such vendor file is served. */
export function vendorAsset(name: string): string | undefined {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const body = build(name);
  if (body !== undefined) cache.set(name, body);
  return body;
}
