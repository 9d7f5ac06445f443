import { Writable } from 'node:stream';
import { coalesceWrites } from './coalesced-writes';

/** A socket that records each write it is handed (one per writev when corked). */
class RecordingSocket extends Writable {
  readonly writes: string[] = [];

  constructor() {
    super({
      writev: (chunks, done) => {
        this.writes.push(chunks.map((c) => String(c.chunk)).join(''));
        done();
      },
      write: (chunk: Buffer, _encoding, done) => {
        this.writes.push(String(chunk));
        done();
      },
    });
  }
}

class FakeClient {
  stream: RecordingSocket | undefined = new RecordingSocket();
  /** What the command sender saw, in order. */
  readonly sent: string[] = [];

  sendCommand(command: string): unknown {
    this.sent.push(command);
    this.stream?.write(command);
    return undefined;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe('coalesceWrites', () => {
  it('sends the commands of one tick in one write, at the end of that tick', async () => {
    const client = new FakeClient();
    coalesceWrites(client);
    client.sendCommand('a');
    client.sendCommand('b');
    await Promise.resolve().then(() => client.sendCommand('c')); // a microtask of the same tick
    expect(client.stream!.writes).toEqual([]);
    await tick();
    expect(client.stream!.writes).toEqual(['abc']);
  });

  it('does not wait for anything before sending the next tick’s commands', async () => {
    const client = new FakeClient();
    coalesceWrites(client);
    client.sendCommand('a');
    await tick();
    client.sendCommand('b');
    client.sendCommand('c');
    await tick();
    expect(client.stream!.writes).toEqual(['a', 'bc']);
    expect(client.sent).toEqual(['a', 'b', 'c']);
  });

  it('leaves a client without a writable socket to queue the command itself', async () => {
    const client = new FakeClient();
    const socket = client.stream!;
    client.stream = undefined;
    coalesceWrites(client);
    client.sendCommand('queued');
    client.stream = socket;
    client.sendCommand('a');
    await tick();
    expect(socket.writes).toEqual(['a']);
    expect(client.sent).toEqual(['queued', 'a']);
  });
});
