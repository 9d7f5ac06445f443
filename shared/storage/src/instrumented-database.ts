import type { BackendHealth, Database, Metrics } from '@wormhole/interfaces';

type RepositoryName = keyof Omit<Database, 'backend' | 'advance' | 'health' | 'close'>;

/**
 * Wraps every repository method with a latency histogram and an error counter labelled by
 * backend and operation (bounded cardinality: a fixed set of method names). Backends stay free
 * of metrics code; the factory applies this once.
 */
export function instrumentDatabase(db: Database, metrics: Metrics): Database {
  const duration = metrics.histogram({
    name: 'wormhole_storage_operation_duration_seconds',
    help: 'Latency of storage operations',
    labelNames: ['backend', 'operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  const errors = metrics.counter({
    name: 'wormhole_storage_operation_errors_total',
    help: 'Storage operations that failed',
    labelNames: ['backend', 'operation'],
  });

  const timed = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    const labels = { backend: db.backend, operation };
    const stop = duration.startTimer(labels);
    try {
      return await call();
    } catch (e) {
      // Not-found and validation outcomes are answers, not storage failures.
      if (!isExpectedOutcome(e)) errors.inc(labels);
      throw e;
    } finally {
      stop();
    }
  };

  const wrap = <R extends object>(name: RepositoryName, repository: R): R => {
    const wrapped: Record<string, unknown> = {};
    for (const key of methodNames(repository)) {
      const method = (repository as Record<string, unknown>)[key] as (...args: unknown[]) => Promise<unknown>;
      wrapped[key] = (...args: unknown[]): Promise<unknown> =>
        timed(`${name}.${key}`, () => method.apply(repository, args));
    }
    return wrapped as R;
  };

  return {
    backend: db.backend,
    workflows: wrap('workflows', db.workflows),
    executions: wrap('executions', db.executions),
    steps: wrap('steps', db.steps),
    events: wrap('events', db.events),
    snapshots: wrap('snapshots', db.snapshots),
    subscriptions: wrap('subscriptions', db.subscriptions),
    logs: wrap('logs', db.logs),
    stats: wrap('stats', db.stats),
    maintenance: wrap('maintenance', db.maintenance),
    apiKeys: wrap('apiKeys', db.apiKeys),
    advance: (tenantId, executionId, events, expectedSequence, derive) =>
      timed('advance', () => db.advance(tenantId, executionId, events, expectedSequence, derive)),
    health: (): Promise<BackendHealth[]> => db.health(),
    close: (): Promise<void> => db.close(),
  };
}

function methodNames(object: object): string[] {
  const names = new Set<string>();
  for (
    let proto: object | null = object;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof (object as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names];
}

function isExpectedOutcome(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'NOT_FOUND' || code === 'VALIDATION_ERROR' || code === 'CONFLICT';
}
