/**
 * Measures what routing one event costs with N listens parked on events of other types: the
 * router's lookup by type (`listForEventType`) against the full scan it replaced (`listByTenant`
 * and matching every filter). Reports, never asserts. Run from the repository root, with the
 * servers of the backends to measure (Mongo when MONGODB_URL is set):
 *   node --import tsx services/worker/src/__tests__/measure-routing.ts [backend …]
 */
import type { Database } from '@wormhole/interfaces';
import { JqWasmEvaluator, matchingFilters } from '@wormhole/dsl';
import type { TestBackend } from '@wormhole/storage';
import { openTestDatabase, testBackends } from '@wormhole/storage';
import { RecordingStream, listen, published, routerOver } from './routing-fixture';

const SIZES = [0, 1_000, 10_000];
const ROUNDS = 30;
const MATCHING = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 100) / 100;
}

/** Adds listens until the tenant has `total` of other types (100 distinct types), 200 at a time. */
async function park(db: Database, tenant: string, from: number, total: number): Promise<void> {
  for (let start = from; start < total; start += 200) {
    const batch = Array.from({ length: Math.min(200, total - start) }, (_, i) =>
      listen(tenant, `ex_other_${start + i}`, [{ type: `other.${(start + i) % 100}` }]),
    );
    await Promise.all(batch.map((s) => db.subscriptions.put(s)));
  }
}

async function measure(backend: TestBackend, evaluator: JqWasmEvaluator): Promise<void> {
  const { db, cleanup } = await openTestDatabase(backend);
  try {
    const tenant = `t-measure-${backend}`;
    for (let i = 0; i < MATCHING; i++) {
      await db.subscriptions.put(listen(tenant, `ex_paid_${i}`, [{ type: 'order.paid' }]));
    }
    await db.subscriptions.put(listen(tenant, 'ex_any_source', [{ source: 'shop' }]));
    const stream = new RecordingStream();
    // One router, as a worker has: its list of scheduled workflows is read once, not per event.
    const router = routerOver(db, stream, evaluator);
    let parked = 0;
    for (const size of SIZES) {
      await park(db, tenant, parked, size);
      parked = size;
      const routed: number[] = [];
      const scanned: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const event = published(tenant, { id: `e-${size}-${round}`, type: 'order.paid', data: {} });
        let at = performance.now();
        const delivered = await router.route(event);
        routed.push(performance.now() - at);
        if (delivered !== MATCHING + 1) throw new Error(`delivered ${delivered}`);
        at = performance.now();
        const all = await db.subscriptions.listByTenant(tenant);
        all.filter((s) => matchingFilters(s.filters, event.data.event, evaluator).length > 0);
        scanned.push(performance.now() - at);
      }
      console.log(
        JSON.stringify({
          backend,
          otherListens: size,
          routeMedianMs: median(routed),
          fullScanMedianMs: median(scanned),
        }),
      );
    }
  } finally {
    await cleanup();
  }
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const evaluator = await JqWasmEvaluator.create();
  for (const backend of testBackends()) {
    if (wanted.length === 0 || wanted.includes(backend)) await measure(backend, evaluator);
  }
}

void main();
