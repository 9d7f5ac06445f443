/**
 * Makes a Redis client send the commands issued during one tick in one socket write, each command
 * still leaving as soon as its tick ends. ioredis' own `enableAutoPipelining` also batches per turn,
 * but keeps one batch in flight per connection: a command issued while a batch awaits its replies
 * waits for that round trip before it is even sent, so under concurrent executions every round
 * trip costs about two (bench, 200 runs/s: a worker event waited on the transport and storage
 * connections at each of its writes). Here the socket is corked at the tick's first command and
 * uncorked when the tick ends: Redis still receives one write, and replies come back in order
 * whatever is in flight.
 */
import type { Writable } from 'node:stream';

/** The part of an ioredis client used (structural: the platform package does not depend on ioredis). */
export interface CommandSender<C, S> {
  readonly stream: Writable | undefined;
  sendCommand(command: C, stream?: S): unknown;
}

/** Wraps `client.sendCommand` so that one tick's commands (a MULTI's included) leave in one write. */
export function coalesceWrites<C, S>(client: CommandSender<C, S>): void {
  const send = client.sendCommand.bind(client);
  let corked: Writable | undefined;
  const uncork = (): void => {
    const socket = corked;
    corked = undefined;
    socket?.uncork();
  };
  client.sendCommand = (command: C, stream?: S): unknown => {
    const socket = client.stream;
    // Not writable: ioredis queues the command until it is connected, and sends the queue itself.
    if (corked === undefined && socket?.writable) {
      corked = socket;
      socket.cork();
      process.nextTick(uncork);
    }
    return send(command, stream);
  };
}
