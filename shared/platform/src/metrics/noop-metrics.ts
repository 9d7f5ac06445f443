import type * as port from '@wormhole/interfaces';

/** Metrics that record nothing: for tests and tools that have no scrape endpoint. */
export class NoopMetrics implements port.Metrics {
  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  counter(): port.Counter {
    return { inc: () => undefined };
  }
  gauge(): port.Gauge {
    return { set: () => undefined };
  }
  histogram(): port.Histogram {
    return { observe: () => undefined, startTimer: () => () => undefined };
  }
  render(): Promise<string> {
    return Promise.resolve('');
  }
}
