// The chat web UI: static files next to this module, no build step.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Router from '@koa/router';
import type { SimContext } from '../context';

const FILES: Record<string, string> = {
  'app.js': 'application/javascript; charset=utf-8',
  'chats.js': 'application/javascript; charset=utf-8',
  'chat-view.js': 'application/javascript; charset=utf-8',
  'render.js': 'application/javascript; charset=utf-8',
  'standard-card.js': 'application/javascript; charset=utf-8',
  'client.js': 'application/javascript; charset=utf-8',
  'todos.js': 'application/javascript; charset=utf-8',
  'markdown.js': 'application/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** Registers `/` and `/ui/<file>`. */
export function uiRoutes(router: Router, _sim: SimContext): void {
  router.get('/', async (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await readFile(path.join(__dirname, 'index.html'), 'utf8');
  });
  router.get('/ui/:file', async (ctx) => {
    const name = ctx.params['file'] ?? '';
    const type = FILES[name];
    if (!type) return;
    ctx.type = type;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await readFile(path.join(__dirname, name), 'utf8');
  });
}
