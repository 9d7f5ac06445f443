/**
 * Baseline 3, the REST floor: the requests per second a bare Express POST route answers on this
 * machine (rest-floor-server.cjs, its own process, driven by autocannon like the API figures).
 * Every run the engine starts over REST costs at least one such request; the engine's `create
 * (execute)` rate is read against this one, its saturation against the Redis floor.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { requestsPerSecond } from './api-throughput';

export interface RestFloorFigures {
  readonly requests_per_second: number;
}

export async function measureRestFloor(seconds: number): Promise<RestFloorFigures> {
  const child = fork(path.resolve(__dirname, 'rest-floor-server.cjs'), [], { stdio: 'ignore' });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`REST floor server exited with ${code}`)));
    });
    const rate = await requestsPerSecond({
      url: `http://127.0.0.1:${port}/start`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { qty: 3 } }),
      duration: seconds,
    });
    return { requests_per_second: rate };
  } finally {
    child.disconnect();
  }
}
