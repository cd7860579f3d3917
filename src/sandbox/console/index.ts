// The sandbox console: a chat page at /console (static files, strict CSP) and the sandbox API under
// /sandbox/api that it talks to, answering only to this machine's own names (host.ts). Mounted on
// the bot's own server by sandbox mode only.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type express from 'express';
import { consoleApi, type ConsoleApiDeps, type ConsoleSession } from './api.js';
import { ownHostOnly } from './host.js';

export type { ConsoleApiDeps, ConsoleSession } from './api.js';

export const CONSOLE_PATH = '/console';
const VCHART_BROWSER_BUILD = '@visactor/vchart/build/index.min.js';
export const API_PATH = '/sandbox/api';

/** No inline script or style, nothing from elsewhere: the page's own files and its own API only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES: Record<string, { file: string; type: string }> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  'card.js': { file: 'card.js', type: 'text/javascript; charset=utf-8' },
  'card-dom.js': { file: 'card-dom.js', type: 'text/javascript; charset=utf-8' },
  'card-form.js': { file: 'card-form.js', type: 'text/javascript; charset=utf-8' },
  'card-chart.js': { file: 'card-chart.js', type: 'text/javascript; charset=utf-8' },
  'console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  'favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** The console's routes, and the session behind them (the sandbox types the demo's first commands). */
export function consoleRoutes(deps: ConsoleApiDeps): { routes: (app: express.Express) => void; session: ConsoleSession } {
  // Read once at start: a fixed set of files, so no request path ever reaches the file system.
  const pages = Object.fromEntries(Object.entries(FILES).map(([name, { file, type }]) => [name, { type, body: readFileSync(new URL(`./page/${file}`, import.meta.url)) }]));
  pages['vchart.js'] = { type: 'text/javascript; charset=utf-8', body: readFileSync(vchartBuild()) };
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  const api = consoleApi(deps);
  return {
    session: api.session,
    routes: (app) => {
      app.use([CONSOLE_PATH, API_PATH], ownHostOnly);
      app.get([CONSOLE_PATH, `${CONSOLE_PATH}/:file`], (req, res, next) => {
        const name = req.params['file'];
        const page = pages[typeof name === 'string' ? name : ''];
        if (!page) return next();
        res.set({ ...headers, 'Content-Type': page.type }).send(page.body);
      });
      app.use(API_PATH, api.router);
    },
  };
}

/**
 * VChart's browser build (cards' charts): beside the bundle's page files once built (the build
 * copies it there, so a production image needs no VChart package), or from the package when run
 * from the sources.
 */
function vchartBuild(): string | URL {
  const built = new URL('./page/vchart.js', import.meta.url);
  return existsSync(built) ? built : createRequire(import.meta.url).resolve(VCHART_BROWSER_BUILD);
}
