// GET /metrics on a port of its own (metrics.port), so the public port, which the load balancer
// forwards to Feishu, never shows them; Prometheus scrapes this one inside the network. GET /healthz
// here is the whole health report, with the reasons the public /healthz leaves out.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { messageOf } from './errors.js';

export interface MetricsServer {
  /** Where Prometheus scrapes, for the log: http://<host or localhost>:<port>/metrics */
  url: string;
  close(): Promise<void>;
}

/**
 * `setting` names the setting that moves the port, for the message when it cannot be opened;
 * `health` is the bot's whole health report (undefined until the bot has started).
 */
export function serveMetrics(metrics: Metrics, where: { port: number; host: string }, log: Logger, setting = 'metrics.port', health: () => { status: string } | undefined = () => undefined): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const report = health() ?? { status: 'starting' };
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(report));
      return;
    }
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Only GET /metrics and /healthz are served here.\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        log.error('metrics.failed', { error: messageOf(error) });
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics could not be collected\n');
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'may not be opened by this user' : `cannot be opened (${error.code ?? error.message})`;
      reject(new Error(`${setting}: port ${where.port} ${why}. Set another port, 0 for any free one, or metrics.enabled: false`));
    });
    const listening = () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${where.host || 'localhost'}:${port}/metrics`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    };
    if (where.host) server.listen(where.port, where.host, listening);
    else server.listen(where.port, listening);
  });
}
