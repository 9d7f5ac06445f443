/**
 * The job-queue peer: BullMQ on the same Redis, a worker whose processor does nothing, jobs added
 * in bulk. Completed jobs per second is what a plain job queue costs here; a workflow run is
 * several such jobs plus history, so the engine is not expected to match it, only to be compared.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';

export interface QueueFigures {
  readonly jobs_per_second: number;
}

export async function measureBullmq(jobs: number, url = 'redis://127.0.0.1:6379'): Promise<QueueFigures> {
  const { hostname, port } = new URL(url);
  const connection = { host: hostname, port: Number(port || 6379) };
  // Its own key prefix on the shared Redis, removed at the end.
  const prefix = `bench:bullmq:${randomUUID()}`;
  const queue = new Queue('noop', { connection, prefix });
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker('noop', () => Promise.resolve(), {
    connection,
    prefix,
    concurrency: 50,
    removeOnComplete: { count: 0 },
  });
  worker.on('completed', () => {
    if (++done >= jobs) finish();
  });
  await worker.waitUntilReady();
  try {
    const started = performance.now();
    for (let i = 0; i < jobs; i += 500) {
      const size = Math.min(500, jobs - i);
      await queue.addBulk(Array.from({ length: size }, (_, j) => ({ name: 'noop', data: { n: i + j } })));
    }
    await finished;
    return { jobs_per_second: Math.round(jobs / ((performance.now() - started) / 1000)) };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}
