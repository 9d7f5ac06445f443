import type { EngineEvent, EngineEventOf, TaskExecutor, TaskOutcome } from '@wormhole/interfaces';
import { engineEvent } from '@wormhole/interfaces';
import { MemoryLogger, NoopMetrics, RecordingStream } from '@wormhole/platform';
import { TaskRunner } from './task-runner';
import { TaskExecutorRegistry } from './tasks/registry';

/** A `call: http` stand-in that counts its side effects and finishes when told to. */
class GatedCall implements TaskExecutor {
  readonly kind = 'call:http';
  calls = 0;
  private release: (() => void)[] = [];
  gated = false;
  async execute(): Promise<TaskOutcome> {
    this.calls += 1;
    if (this.gated) await new Promise<void>((resolve) => this.release.push(resolve));
    return { kind: 'completed', output: { call: this.calls } };
  }
  open(): void {
    for (const release of this.release.splice(0)) release();
  }
}

function request(id: string): EngineEventOf<'io.wormhole.task.requested'> {
  return engineEvent(
    'io.wormhole.task.requested',
    'wormhole/worker',
    { tenantid: 't1', workflowid: 'wf_1', executionid: 'ex_1' },
    {
      task_path: 'do/0/fetch',
      task_name: 'fetch',
      task_type: 'call',
      attempt: 1,
      input: {},
      task: { call: 'http', with: { method: 'get', endpoint: 'http://stub/x' } },
    },
    { id },
  );
}

describe('TaskRunner and repeated requests', () => {
  let stream: RecordingStream;
  let call: GatedCall;
  let runner: TaskRunner;
  let logger: MemoryLogger;

  beforeEach(() => {
    stream = new RecordingStream();
    call = new GatedCall();
    logger = new MemoryLogger();
    runner = new TaskRunner(new TaskExecutorRegistry([call]), stream, logger, new NoopMetrics(), { maxAttempts: 3 });
  });

  const completions = (): EngineEvent[] => stream.published.filter((e) => e.type === 'io.wormhole.task.completed');

  it('answers a request repeated after its outcome with the same outcome, without a second call', async () => {
    await runner.run(request('req-1'));
    await runner.run(request('req-1'));
    expect(call.calls).toBe(1);
    expect(completions()).toHaveLength(2);
    expect(completions()[1]).toEqual(completions()[0]);
    expect(logger.lines.map((l) => l.message)).toContain(
      'a repeated task request answered with the outcome already obtained',
    );
  });

  it('joins a request repeated while the first run is in flight', async () => {
    call.gated = true;
    const first = runner.run(request('req-1'));
    const second = runner.run(request('req-1'));
    await new Promise((resolve) => setImmediate(resolve));
    call.open();
    await Promise.all([first, second]);
    expect(call.calls).toBe(1);
    expect(completions().map((e) => e.id)).toEqual(['req-1.completed.1', 'req-1.completed.1']);
  });

  it('publishes the outcome obtained before a failed publish when the request comes again', async () => {
    stream.failing = true;
    await expect(runner.run(request('req-1'))).rejects.toThrow('transport down');
    stream.failing = false;
    await runner.run(request('req-1'));
    expect(call.calls).toBe(1);
    expect(completions()).toHaveLength(1);
  });

  it('runs a different request (another attempt or step) as its own call', async () => {
    await runner.run(request('req-1'));
    await runner.run(request('req-2'));
    expect(call.calls).toBe(2);
  });

  it('runs a request again when its first run was cancelled (nothing was reported)', async () => {
    call.gated = true;
    const first = runner.run(request('req-1'));
    await new Promise((resolve) => setImmediate(resolve));
    runner.cancel('ex_1');
    call.open();
    await first;
    expect(completions()).toHaveLength(0);
    call.gated = false;
    await runner.run(request('req-1'));
    expect(call.calls).toBe(2);
    expect(completions()).toHaveLength(1);
  });
});
