export type Labels = Readonly<Record<string, string | number>>;

export interface Counter {
  inc(labels?: Labels, value?: number): void;
}
export interface Gauge {
  set(labels: Labels, value: number): void;
}
export interface Histogram {
  observe(labels: Labels, value: number): void;
  /** Starts a timer; calling the result observes the elapsed seconds. */
  startTimer(labels?: Labels): (extraLabels?: Labels) => void;
}

export interface MetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

/** Metrics registry. Creating a metric twice with one name returns the same metric. */
export interface Metrics {
  counter(options: MetricOptions): Counter;
  gauge(options: MetricOptions): Gauge;
  histogram(options: MetricOptions & { buckets?: readonly number[] }): Histogram;
  /** The registry in Prometheus text exposition format. */
  render(): Promise<string>;
  readonly contentType: string;
}
