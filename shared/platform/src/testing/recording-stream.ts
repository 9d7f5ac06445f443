import type { DeadLetter, EngineEvent, EventStream } from '@wormhole/interfaces';

/**
 * For tests of a role's logic without a transport: keeps what is published, in order; `failing`
 * makes every publish reject, as a transport that is down does. Nothing can be subscribed.
 */
export class RecordingStream implements EventStream {
  readonly published: EngineEvent[] = [];
  failing = false;

  publish(event: EngineEvent): Promise<void> {
    if (this.failing) return Promise.reject(new Error('transport down'));
    this.published.push(event);
    return Promise.resolve();
  }
  subscribe(): never {
    throw new Error('RecordingStream: nothing can be subscribed');
  }
  listDeadLetters(): Promise<DeadLetter[]> {
    return Promise.resolve([]);
  }
  redrive(): Promise<void> {
    return Promise.resolve();
  }
  health(): Promise<{ name: string; ok: boolean }> {
    return Promise.resolve({ name: 'stream:recording', ok: true });
  }
  onMessagesLost(): () => void {
    return () => undefined;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
