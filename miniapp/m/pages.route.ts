// The mini-app's H5 pages (miniapp/m/h5: plain HTML, one small script, one stylesheet; no build
// step and nothing loaded from the internet). Card links point here (core/hazard/notice-data.ts
// hazardLinks). Pages are static; the data comes from /api/m/* after sign-in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';

const DIR = path.join(__dirname, 'h5');

// The authCode travels in the URL: never send it onwards in a Referer; scripts only from here.
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'",
};

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The H5 page routes; `corpId` is what the page passes to requestAuthCode. */
export function pagesRouter(deps: { corpId?: string }): Router {
  const read = (name: string) => readFileSync(path.join(DIR, name), 'utf8');
  const page = (name: string) => read(name).replace(/\{\{corpId\}\}/g, escapeAttr(deps.corpId ?? ''));
  // Read once at start-up: the files are part of the release.
  const pages = { list: page('index.html'), hazard: page('hazard.html') };
  const assets: Record<string, { type: string; body: string }> = {
    'm.js': { type: 'application/javascript; charset=utf-8', body: read('m.js') },
    'm.css': { type: 'text/css; charset=utf-8', body: read('m.css') },
  };

  const html = (body: string) => (ctx: Context) => {
    ctx.set(PAGE_HEADERS);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = body;
  };

  const router = new Router();
  const list = html(pages.list);
  // '/m' also matches '/m/' in this router (trailing slash optional): tell them apart by path.
  router.get(['/m/', '/m'], (ctx) => (ctx.path === '/m/' ? list(ctx) : ctx.redirect('/m/')));
  router.get('/m/hazards/:id', html(pages.hazard));
  router.get('/m/assets/:name', (ctx) => {
    const a = assets[ctx.params.name ?? ''];
    if (!a) return;
    ctx.set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    ctx.type = a.type;
    ctx.body = a.body;
  });
  return router;
}
