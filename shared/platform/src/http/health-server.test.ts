import { NoopMetrics } from '../metrics/noop-metrics';
import { startHealthServer } from './health-server';

describe('startHealthServer', () => {
  it('answers /health with 200 when every backend is ok and 503 otherwise', async () => {
    let ok = true;
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      service: 'test',
      health: () => Promise.resolve([{ name: 'db', ok }]),
      ready: () => ok,
      metrics: new NoopMetrics(),
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      let res = await fetch(`${base}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', backends: [{ name: 'db', ok: true }] });
      ok = false;
      res = await fetch(`${base}/health`);
      expect(res.status).toBe(503);
      expect((await fetch(`${base}/ready`)).status).toBe(503);
      // Liveness never depends on the backends.
      expect((await fetch(`${base}/live`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
