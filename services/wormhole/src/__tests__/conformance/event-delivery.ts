/**
 * Publishing CloudEvents to a run that waits in a listen, as the conformance steps and the spec
 * examples do: events that arrive before a listen's subscription exists are not kept, so each is
 * posted once the run waits, and its delivery is awaited before the next.
 */
import type { Api, EventView } from '../engine-harness';

const ENDED = ['completed', 'faulted', 'cancelled'];
const TIMEOUT_MS = 10_000;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the run waits (or ended). The worker stores a listen's subscription before the
 * execution row says `waiting`, so an event posted from then on is delivered.
 */
export async function untilListening(api: Api, executionId: string): Promise<void> {
  await api.until(executionId, ['waiting', ...ENDED], TIMEOUT_MS);
}

/**
 * Posts the event (or list of events) to POST /events and waits until the run received each one
 * or ended; returns the run's history then.
 */
export async function publishAndAwait(api: Api, executionId: string, published: unknown): Promise<EventView[]> {
  const events = (Array.isArray(published) ? published : [published]) as { source?: unknown; id?: unknown }[];
  const posted = await api.request('POST', '/events', published);
  if (posted.status !== 202) throw new Error(`POST /events answered ${posted.status}: ${JSON.stringify(posted.body)}`);
  const key = (e: { source?: unknown; id?: unknown }): string => `${String(e.source)} ${String(e.id)}`;
  for (const deadline = Date.now() + TIMEOUT_MS; ; await pause(25)) {
    const history = await api.items<EventView>(`/executions/${executionId}/events`);
    const received = new Set(
      history
        .filter((e) => e.type === 'io.wormhole.event.received')
        .map((e) => key((e.data as { event?: { source?: unknown; id?: unknown } }).event ?? {})),
    );
    if (events.every((e) => received.has(key(e)))) return history;
    if (ENDED.includes((await api.execution(executionId)).status)) return history;
    if (Date.now() > deadline) throw new Error(`the run did not receive ${events.map(key).join(', ')}`);
  }
}
