import type { Counter, Histogram, Metrics } from '@wormhole/interfaces';

/** The transport's instruments; label values are bounded (backend, group, event type, outcome). */
export interface TransportMetrics {
  /** Labels: type. */
  readonly published: Counter;
  /** Labels: group, outcome (ok | error | skipped). */
  readonly handled: Counter;
  /** Labels: group, reason (failed | abandoned | poison). */
  readonly deadLettered: Counter;
  /** Labels: group. */
  readonly reclaimed: Counter;
  /** Labels: group. Handler runs repeated in place because a backend was unreachable. */
  readonly retried: Counter;
  readonly trimmed: Counter;
  /** Labels: group. */
  readonly handlerSeconds: Histogram;
}

export function transportMetrics(metrics: Metrics, backend: string): TransportMetrics {
  const bind = (counter: Counter): Counter => ({
    inc: (labels, value) => counter.inc({ backend, ...labels }, value),
  });
  const histogram = metrics.histogram({
    name: 'wormhole_transport_handler_seconds',
    help: 'Time a subscriber handler took per message',
    labelNames: ['backend', 'group'],
  });
  return {
    published: bind(
      metrics.counter({
        name: 'wormhole_transport_published_total',
        help: 'Events published',
        labelNames: ['backend', 'type'],
      }),
    ),
    handled: bind(
      metrics.counter({
        name: 'wormhole_transport_handled_total',
        help: 'Messages settled by subscribers, by outcome',
        labelNames: ['backend', 'group', 'outcome'],
      }),
    ),
    deadLettered: bind(
      metrics.counter({
        name: 'wormhole_transport_dead_lettered_total',
        help: 'Messages moved to a dead-letter or poison stream',
        labelNames: ['backend', 'group', 'reason'],
      }),
    ),
    reclaimed: bind(
      metrics.counter({
        name: 'wormhole_transport_reclaimed_total',
        help: 'Messages taken over after their consumer stopped acknowledging them',
        labelNames: ['backend', 'group'],
      }),
    ),
    retried: bind(
      metrics.counter({
        name: 'wormhole_transport_handler_retries_total',
        help: 'Handler runs repeated in place (with backoff) because a backend was unreachable',
        labelNames: ['backend', 'group'],
      }),
    ),
    trimmed: bind(
      metrics.counter({
        name: 'wormhole_transport_trimmed_total',
        help: 'Stream entries trimmed',
        labelNames: ['backend'],
      }),
    ),
    handlerSeconds: {
      observe: (labels, value) => histogram.observe({ backend, ...labels }, value),
      startTimer: (labels) => histogram.startTimer({ backend, ...labels }),
    },
  };
}
