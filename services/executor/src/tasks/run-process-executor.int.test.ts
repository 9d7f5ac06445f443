import { execFileSync } from 'node:child_process';
import type { JsonObject, JsonValue, TaskRequest } from '@wormhole/interfaces';
import type { RunProcessSettings } from './run-process-executor';
import { ScriptRunExecutor, ShellRunExecutor } from './run-process-executor';

const ENABLED: RunProcessSettings = { shellEnabled: true, scriptEnabled: true, timeoutMs: 5000, maxOutputBytes: 4096 };

function request(run: JsonObject, input: JsonValue = {}): TaskRequest {
  return {
    tenantId: 't',
    workflowId: 'wf_1',
    executionId: 'ex_1',
    taskPath: '/do/0/run',
    taskName: 'run',
    task: { run },
    input,
    attempt: 1,
    idempotencyKey: 'ex_1:/do/0/run:1',
  };
}

const signal = () => new AbortController().signal;
const shell = (run: JsonObject, settings = ENABLED) => new ShellRunExecutor(settings).execute(request(run), signal());
const script = (run: JsonObject, settings = ENABLED) => new ScriptRunExecutor(settings).execute(request(run), signal());

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe('run: shell', () => {
  it('is refused with a configuration error naming the variable that enables it', async () => {
    const outcome = await shell({ shell: { command: 'echo hi' } }, { ...ENABLED, shellEnabled: false });
    expect(outcome).toMatchObject({ kind: 'failed', error: { status: 400, instance: '/do/0/run' } });
    expect(outcome.kind === 'failed' && outcome.error.detail).toContain('RUN_SHELL_ENABLED=true');
  });

  it('passes stdin and arguments and outputs stdout by default (the spec example)', async () => {
    const command = 'input=$(cat)\necho "STDIN was: $input"\necho "ARGS are $1 $2"';
    const outcome = await shell({ shell: { command, stdin: 'Hello World', arguments: ['Foo', 'Bar'] } });
    expect(outcome).toEqual({ kind: 'completed', output: 'STDIN was: Hello World\nARGS are Foo Bar' });
  });

  it('gives the process only its own environment, never the executor’s', async () => {
    process.env.WORMHOLE_TEST_SECRET = 'do-not-leak';
    try {
      const outcome = await shell({ shell: { command: 'env', environment: { GREETING: 'hi' } } });
      expect(outcome.kind).toBe('completed');
      const output = outcome.kind === 'completed' && typeof outcome.output === 'string' ? outcome.output : '';
      expect(output).toContain('GREETING=hi');
      expect(output).not.toContain('do-not-leak');
    } finally {
      delete process.env.WORMHOLE_TEST_SECRET;
    }
  });

  it('returns the code, stderr or everything when asked', async () => {
    const command = 'echo out; echo err >&2; exit 3';
    expect(await shell({ shell: { command }, return: 'code' })).toEqual({ kind: 'completed', output: 3 });
    expect(await shell({ shell: { command }, return: 'all' })).toEqual({
      kind: 'completed',
      output: { code: 3, stdout: 'out\n', stderr: 'err\n' },
    });
    expect(await shell({ shell: { command: 'echo err >&2' }, return: 'stderr' })).toEqual({
      kind: 'completed',
      output: 'err',
    });
    expect(await shell({ shell: { command: 'true' }, return: 'none' })).toEqual({ kind: 'completed', output: null });
  });

  it('fails with a runtime error carrying stderr when the command exits non-zero', async () => {
    const outcome = await shell({ shell: { command: 'echo broken >&2; exit 2' } });
    expect(outcome.kind === 'failed' && outcome.error.type).toContain('/errors/runtime');
    expect(outcome.kind === 'failed' && outcome.error.detail).toBe('the process exited with code 2: broken');
  });

  it('kills a process (and what it started) that overruns its time, as a timeout error', async () => {
    const started = Date.now();
    const outcome = await shell({ shell: { command: 'sleep 30 & sleep 30' } }, { ...ENABLED, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.kind === 'failed' && outcome.error.type).toContain('/errors/timeout');
  });

  it('kills a process that writes more than the output limit', async () => {
    const outcome = await shell({ shell: { command: 'yes' } }, { ...ENABLED, maxOutputBytes: 1024 });
    expect(outcome.kind === 'failed' && outcome.error.detail).toContain('more than 1024 bytes to stdout');
  });

  it('completes at once with its input when not awaited', async () => {
    const outcome = await new ShellRunExecutor(ENABLED).execute(
      request({ shell: { command: 'sleep 2' }, await: false }, { keep: 1 }),
      signal(),
    );
    expect(outcome).toEqual({ kind: 'completed', output: { keep: 1 } });
  });
});

describe('run: script', () => {
  it('is refused unless RUN_SCRIPT_ENABLED', async () => {
    const outcome = await script({ script: { language: 'js', code: '1' } }, { ...ENABLED, scriptEnabled: false });
    expect(outcome.kind === 'failed' && outcome.error.detail).toContain('RUN_SCRIPT_ENABLED=true');
  });

  it('runs JavaScript with its arguments where scripts expect them (process.argv[2] on)', async () => {
    const code = "console.log(process.argv.slice(2).join(' '))";
    expect(await script({ script: { language: 'javascript', code, arguments: ['hello', 'world'] } })).toEqual({
      kind: 'completed',
      output: 'hello world',
    });
  });

  it('runs JavaScript without access to files outside its directory or to child processes', async () => {
    const code = `
      const tries = { read: () => require('fs').readFileSync('/etc/hostname'), spawn: () => require('child_process').execSync('true') };
      for (const [name, attempt] of Object.entries(tries)) {
        try { attempt(); console.log(name + ' allowed'); } catch (e) { console.log(name + ' ' + e.code); }
      }`;
    expect(await script({ script: { language: 'js', code } })).toEqual({
      kind: 'completed',
      output: 'read ERR_ACCESS_DENIED\nspawn ERR_ACCESS_DENIED',
    });
  });

  (hasPython ? it : it.skip)('runs Python with stdin', async () => {
    const code = 'import sys\nprint(sys.stdin.read().upper(), sys.argv[1])';
    expect(await script({ script: { language: 'python', code, stdin: 'quiet', arguments: ['one'] } })).toEqual({
      kind: 'completed',
      output: 'QUIET one',
    });
  });

  it('refuses an unknown language and a script given by source, naming what is supported', async () => {
    const ruby = await script({ script: { language: 'ruby', code: 'puts 1' } });
    expect(ruby.kind === 'failed' && ruby.error.detail).toBe(
      "script language 'ruby' is not supported (js and python are)",
    );
    const sourced = await script({ script: { language: 'js', source: { endpoint: 'https://example.com/a.js' } } });
    expect(sourced.kind === 'failed' && sourced.error.detail).toContain('give the code inline');
  });
});
