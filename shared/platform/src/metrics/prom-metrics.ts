import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type * as port from '@wormhole/interfaces';

/** The Metrics port on prom-client, with its own registry (no global state between instances). */
export class PromMetrics implements port.Metrics {
  private readonly registry = new Registry();
  private readonly known = new Map<string, Counter | Gauge | Histogram>();

  constructor(options: { defaultLabels?: Record<string, string>; processMetrics?: boolean } = {}) {
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  counter(options: port.MetricOptions): port.Counter {
    const metric = this.getOrCreate(options.name, () => new Counter(this.config(options)));
    return { inc: (labels, value) => metric.inc(labels ?? {}, value ?? 1) };
  }

  gauge(options: port.MetricOptions): port.Gauge {
    const metric = this.getOrCreate(options.name, () => new Gauge(this.config(options)));
    return { set: (labels, value) => metric.set(labels, value) };
  }

  histogram(options: port.MetricOptions & { buckets?: readonly number[] }): port.Histogram {
    const metric = this.getOrCreate<Histogram>(
      options.name,
      () => new Histogram({ ...this.config(options), ...(options.buckets ? { buckets: [...options.buckets] } : {}) }),
    );
    return {
      observe: (labels, value) => metric.observe(labels, value),
      startTimer: (labels) => metric.startTimer(labels),
    };
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private config(options: port.MetricOptions): {
    name: string;
    help: string;
    labelNames: string[];
    registers: Registry[];
  } {
    return {
      name: options.name,
      help: options.help,
      labelNames: [...(options.labelNames ?? [])],
      registers: [this.registry],
    };
  }

  private getOrCreate<T extends Counter | Gauge | Histogram>(name: string, make: () => T): T {
    const existing = this.known.get(name);
    if (existing) return existing as T;
    const created = make();
    this.known.set(name, created);
    return created;
  }
}
