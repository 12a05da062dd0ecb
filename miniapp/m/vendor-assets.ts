// Third-party browser libraries served from this server (government networks often cannot reach a
// CDN, and the page CSP allows scripts from 'self' only):
// - echarts: its own browser build, dist/echarts.min.js;
// - dingtalk-jsapi: published as CommonJS modules only, so it is bundled once, on first request,
//   into one script exposing `window.dd` (esbuild, which the toolchain already ships via tsx).
import { readFileSync } from 'node:fs';

const cache = new Map<string, string>();

function build(name: string): string | undefined {
  switch (name) {
    case 'echarts.min.js':
      return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
    case 'dingtalk-jsapi.js': {
      // Loaded lazily: only pages need it, and tests that never open a page skip the bundling.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const esbuild = require('esbuild') as typeof import('esbuild');
      const out = esbuild.buildSync({
        entryPoints: [require.resolve('dingtalk-jsapi')],
        bundle: true,
        format: 'iife',
        globalName: 'dd',
        minify: true,
        write: false,
        platform: 'browser',
        target: 'es2017',
        logLevel: 'silent',
      });
      return out.outputFiles[0]!.text;
    }
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
