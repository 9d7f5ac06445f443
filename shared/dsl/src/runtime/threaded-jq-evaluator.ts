import type { JsonValue } from '@wormhole/interfaces';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { ExpressionError } from './errors';
import type { ExpressionArguments, ExpressionEvaluator } from './expressions';
import { collapseOutputs, jqArgumentFlags, jqErrorDetail } from './jq-wasm-evaluator';

/*
 * The worker thread's program, plain CommonJS so that it runs the same from compiled dist/ and
 * from TypeScript sources under jest. Protocol over a SharedArrayBuffer of two int32 cells:
 * [0] = READY once jq is loaded, [1] = sequence number of the last reply. The reply itself travels
 * on a MessagePort and is read with receiveMessageOnPort, so the caller never returns to the loop.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { loadJq } = require(workerData.jqPath);
const cells = new Int32Array(workerData.cells);
const port = workerData.port;
loadJq().then((jq) => {
  port.on('message', (request) => {
    let reply;
    try {
      reply = { seq: request.seq, ok: true, values: jq.json(request.input, request.expression, request.flags) };
    } catch (e) {
      const detail = e && typeof e.stderr === 'string' ? e.stderr : String(e && e.message ? e.message : e);
      reply = { seq: request.seq, ok: false, stderr: detail };
    }
    port.postMessage(reply);
    Atomics.store(cells, 1, request.seq);
    Atomics.notify(cells, 1);
  });
  Atomics.store(cells, 0, 1);
  Atomics.notify(cells, 0);
});
`;

const READY = 1;

type Reply = { seq: number; ok: true; values: JsonValue[] } | { seq: number; ok: false; stderr: string };

interface JqThread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly cells: Int32Array;
}

export interface ThreadedJqWasmOptions {
  /** Longest a single evaluation may run before it fails with an expression error. */
  readonly timeoutMs: number;
  /** Longest the wasm module may take to load in a fresh thread. */
  readonly startupTimeoutMs?: number;
}

/**
 * jq-wasm in a worker thread, with a time box. `evaluate` stays synchronous: the calling thread
 * posts the request and blocks in `Atomics.wait` for at most `timeoutMs`. A program still running
 * then is killed with its thread (a synchronous wasm call cannot be interrupted in any other way),
 * the call fails with an expression error, and the next call starts a fresh thread (~50 ms).
 *
 * Costs: one message round trip per evaluation (tens of microseconds) on top of jq-wasm's own
 * ~1 ms. The calling thread is blocked while jq runs, as with the in-process evaluator; only the
 * bound on that time differs.
 */
export class ThreadedJqWasmEvaluator implements ExpressionEvaluator {
  private thread: JqThread | undefined;
  private seq = 0;

  private constructor(
    private readonly jqPath: string,
    private readonly timeoutMs: number,
    private readonly startupTimeoutMs: number,
  ) {}

  static create(options: ThreadedJqWasmOptions): Promise<ThreadedJqWasmEvaluator> {
    const evaluator = new ThreadedJqWasmEvaluator(
      require.resolve('jq-wasm'),
      options.timeoutMs,
      options.startupTimeoutMs ?? 10_000,
    );
    evaluator.thread = evaluator.start();
    return Promise.resolve(evaluator);
  }

  evaluate(expression: string, input: JsonValue, args: ExpressionArguments): JsonValue {
    const thread = this.thread ?? (this.thread = this.start());
    const seq = ++this.seq;
    const flags = jqArgumentFlags(expression, args);
    thread.port.postMessage({ seq, input: JSON.stringify(input), expression, flags });
    const reply = this.awaitReply(thread, seq);
    if (reply === undefined) {
      this.kill();
      throw new ExpressionError(expression, `evaluation exceeded ${this.timeoutMs} ms and was stopped`);
    }
    if (!reply.ok) throw new ExpressionError(expression, jqErrorDetail(reply.stderr));
    return collapseOutputs(reply.values);
  }

  /** Stops the worker thread. Further calls start a new one. */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    if (thread !== undefined) {
      thread.port.close();
      await thread.worker.terminate();
    }
  }

  private start(): JqThread {
    const cells = new Int32Array(new SharedArrayBuffer(8));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { jqPath: this.jqPath, cells: cells.buffer, port: port2 },
      transferList: [port2],
    });
    // The thread must never keep the process alive on its own, nor crash it.
    worker.unref();
    worker.on('error', () => undefined);
    if (Atomics.wait(cells, 0, 0, this.startupTimeoutMs) === 'timed-out' && Atomics.load(cells, 0) !== READY) {
      void worker.terminate().catch(() => undefined);
      throw new Error(`jq worker thread did not start within ${this.startupTimeoutMs} ms`);
    }
    return { worker, port: port1, cells };
  }

  private awaitReply(thread: JqThread, seq: number): Reply | undefined {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const received: { message: Reply } | undefined = receiveMessageOnPort(thread.port);
      if (received !== undefined) {
        const reply = received.message;
        // Replies to abandoned requests cannot exist (the thread is killed with them), so any
        // other sequence number is a bug worth failing loudly on.
        if (reply.seq !== seq) throw new Error(`jq worker replied to ${reply.seq}, expected ${seq}`);
        return reply;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      const replied = Atomics.load(thread.cells, 1);
      // Once the cell shows our number the reply is already queued on the port: look again.
      if (replied !== seq) Atomics.wait(thread.cells, 1, replied, remaining);
    }
  }

  private kill(): void {
    const thread = this.thread;
    this.thread = undefined;
    if (thread === undefined) return;
    thread.port.close();
    void thread.worker.terminate().catch(() => undefined);
  }
}
