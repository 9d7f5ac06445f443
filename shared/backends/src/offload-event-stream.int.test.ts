// withEventOffload over real Redis Streams and a filesystem blob store: what Redis holds is the
// reference, what a handler gets is the value; a lost blob fails deliveries until the message is
// dead-lettered, and the dead letter is still listed (with its reference).
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import type { EventStream, StreamMessage } from '@wormhole/interfaces';
import { executionStartedEvent, newId } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics, testServersReachable } from '@wormhole/platform';
import { BlobCodec, FilesystemBlobStore } from '@wormhole/storage';
import { RedisEventStream, createKeys } from '@wormhole/transport';
import { withEventOffload } from './offload-event-stream';

const REDIS_URL = 'redis://127.0.0.1:6379';
const INPUT = { text: 'r'.repeat(4000) };

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Skipped (and listed at the end of the run) when a server it needs is unreachable.
const describeIf = testServersReachable(['redis']) ? describe : describe.skip;

describeIf('withEventOffload on Redis Streams', () => {
  const prefix = `wh-offload:${randomUUID().slice(0, 8)}:`;
  const keys = createKeys(prefix);
  let dir: string;
  let inner: RedisEventStream;
  let admin: Redis;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wormhole-stream-blobs-'));
    inner = await RedisEventStream.create(
      { url: REDIS_URL, keyPrefix: prefix, blockMs: 1000, claimIdleMs: 300, maxDeliveries: 2, trimIntervalMs: 60_000 },
      { logger: new MemoryLogger(), metrics: new NoopMetrics() },
    );
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await inner.close();
    const found = await admin.keys(`${prefix}*`);
    if (found.length > 0) await admin.del(...found);
    await admin.quit();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function offloading(): Promise<EventStream> {
    // No cache, so every delivery reads the blob store.
    return withEventOffload(inner, new BlobCodec(await FilesystemBlobStore.create(dir), 1024, { cacheChars: 0 }));
  }

  const startedOf = (tenant: string): ReturnType<typeof executionStartedEvent> =>
    executionStartedEvent(
      { id: newId('execution'), tenant_id: tenant, workflow_id: newId('workflow'), workflow_version: 1, input: INPUT },
      '/test',
    );

  it('publishes a reference and delivers the value', async () => {
    const stream = await offloading();
    const event = startedOf('acme');
    const received: StreamMessage[] = [];
    const subscription = stream.subscribe({ group: 'g1', consumer: 'c1' }, (m) => {
      received.push(m);
      return Promise.resolve();
    });
    await stream.publish(event);
    await until(() => received.length > 0, 'delivery');
    await subscription.close();
    expect(received[0]!.event).toEqual(event);

    const entries = await admin.xrange(keys.workflowEvents('acme', event.workflowid), '-', '+');
    const raw = entries.map(([, fields]) => fields[fields.indexOf('event') + 1] ?? '');
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toContain(INPUT.text);
    expect(JSON.parse(raw[0]!)).toMatchObject({
      data: { input: { $blob: expect.any(String), bytes: JSON.stringify(INPUT).length } },
    });
  });

  it('fails the delivery when the blob is gone, dead-letters it, and lists the letter with its reference', async () => {
    const stream = await offloading();
    const event = startedOf('globex');
    await stream.publish(event);
    await fs.rm(path.join(dir, 'globex'), { recursive: true });
    let handled = 0;
    // A new group reads every stream from its start: only this tenant's deliveries count.
    const subscription = stream.subscribe({ group: 'g2', consumer: 'c1' }, (m) => {
      if (m.event.tenantid === 'globex') handled += 1;
      return Promise.resolve();
    });
    await until(async () => (await stream.listDeadLetters('globex', 10)).length > 0, 'the dead letter');
    await subscription.close();
    expect(handled).toBe(0);
    const [letter] = await stream.listDeadLetters('globex', 10);
    expect(letter!.error).toMatch(/blob/);
    expect(letter!.event.data).toMatchObject({ input: { $blob: expect.any(String) } });
  });
});
