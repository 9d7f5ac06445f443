import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendHealth, Metrics } from '@wormhole/interfaces';

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A minimal HTTP server for processes that have no REST API of their own (worker, executor):
 * `/health` (liveness and backend status, 200 or 503), `/ready`, `/metrics`.
 */
export async function startHealthServer(options: {
  readonly port: number;
  readonly host?: string;
  readonly service: string;
  readonly health: () => Promise<BackendHealth[]>;
  readonly ready: () => boolean;
  readonly metrics: Metrics;
}): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    void respond(req.url ?? '/', options).then(({ status, type, body }) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(
  url: string,
  options: Parameters<typeof startHealthServer>[0],
): Promise<{ status: number; type: string; body: string }> {
  const json = 'application/json';
  const path = url.split('?')[0];
  if (path === '/health') {
    const backends = await options.health().catch((e: unknown) => [{ name: 'health', ok: false, error: String(e) }]);
    const ok = backends.every((b) => b.ok);
    return {
      status: ok ? 200 : 503,
      type: json,
      body: JSON.stringify({ status: ok ? 'ok' : 'degraded', service: options.service, backends }),
    };
  }
  if (path === '/live') {
    // Liveness: the event loop answers. No backend is asked, so an outage never restarts a pod.
    return { status: 200, type: json, body: JSON.stringify({ live: true, service: options.service }) };
  }
  if (path === '/ready') {
    const ready = options.ready();
    return { status: ready ? 200 : 503, type: json, body: JSON.stringify({ ready }) };
  }
  if (path === '/metrics') {
    return { status: 200, type: options.metrics.contentType, body: await options.metrics.render() };
  }
  return { status: 404, type: json, body: JSON.stringify({ error: 'NOT_FOUND', message: `no route ${path}` }) };
}
