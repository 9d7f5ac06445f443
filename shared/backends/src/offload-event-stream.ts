import type {
  DeadLetter,
  EngineEvent,
  EventStream,
  StreamMessage,
  SubscribeOptions,
  Subscription,
} from '@wormhole/interfaces';
import type { BlobCodec } from '@wormhole/storage';
import { offloadEvent, resolveEvent } from '@wormhole/storage';

/**
 * Keeps stream messages small: large payload fields are stored as blobs before an event is
 * published and put back before a handler sees it. Resolving happens inside the delivery, so a
 * blob that cannot be read fails that delivery like any handler error (retried, then
 * dead-lettered) instead of stopping the subscriber. Lives here, not in shared/transport, because
 * it needs the blob codec of shared/storage and the transport must not depend on storage.
 */
export function withEventOffload(stream: EventStream, codec: BlobCodec): EventStream {
  return {
    publish: async (event: EngineEvent): Promise<void> => stream.publish(await offloadEvent(codec, event)),
    subscribe: (options: SubscribeOptions, handler: (message: StreamMessage) => Promise<void>): Subscription =>
      stream.subscribe(options, async (message) =>
        handler({ ...message, event: await resolveEvent(codec, message.event) }),
      ),
    listDeadLetters: async (tenantId: string, limit: number): Promise<DeadLetter[]> => {
      const letters = await stream.listDeadLetters(tenantId, limit);
      // A lost blob is one reason a message dies: such a letter is listed with its references.
      return Promise.all(
        letters.map(async (letter) => ({
          ...letter,
          event: await resolveEvent(codec, letter.event).catch(() => letter.event),
        })),
      );
    },
    // The dead letter's stored event already holds references; it is republished as it is.
    redrive: (tenantId: string, deadLetterId: string): Promise<void> => stream.redrive(tenantId, deadLetterId),
    health: () => stream.health(),
    onMessagesLost: (listener: (lostBefore: Date) => void): (() => void) => stream.onMessagesLost(listener),
    close: (): Promise<void> => stream.close(),
  };
}
