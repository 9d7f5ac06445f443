import type { DslErrorKind, JsonObject, JsonValue, TaskExecutor, TaskOutcome, TaskRequest } from '@wormhole/interfaces';
import { join } from 'node:path';
import { dslError } from '@wormhole/interfaces';
import { argumentsFailure } from './http-call-executor';
import { asObject, HttpArgumentsError, scalarText } from './http-request';
import type { ProcessEnd, ProcessLimits, ProcessSpec } from './process-runner';
import { runProcess } from './process-runner';

export interface RunProcessSettings extends ProcessLimits {
  /** `run: shell` runs only when an operator turned it on (RUN_SHELL_ENABLED). */
  readonly shellEnabled: boolean;
  /** `run: script` runs only when an operator turned it on (RUN_SCRIPT_ENABLED). */
  readonly scriptEnabled: boolean;
}

type ReturnAs = 'stdout' | 'stderr' | 'code' | 'all' | 'none';
const RETURNS = new Set<ReturnAs>(['stdout', 'stderr', 'code', 'all', 'none']);
/** The only environment a process gets besides the task's own `environment`: no secret of ours leaks. */
const BASE_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };

/**
 * `run: shell` and `run: script` (js, python). Both are off unless an operator enables them: a
 * definition is data that tenants send, and these run code on the executor's machine. When on,
 * each run gets a private temporary directory, an environment of its own (never the executor's),
 * a time limit and an output limit, and its whole process group is killed when it overruns or
 * its step is cancelled; JavaScript additionally runs under Node's permission model (no file
 * system outside its directory, no child processes). This bounds mistakes, not hostile code:
 * enable it only for tenants whose definitions you trust (docs/operations.md).
 */
abstract class RunProcessExecutor implements TaskExecutor {
  abstract readonly kind: string;

  constructor(
    protected readonly settings: RunProcessSettings,
    /** Whether the operator enabled this kind, and the variable that does it. */
    private readonly enabled: boolean,
    private readonly enabledBy: string,
  ) {}

  protected abstract spec(process: Record<string, JsonValue | undefined>, env: Record<string, string>): ProcessSpec;

  async execute(request: TaskRequest, signal: AbortSignal): Promise<TaskOutcome> {
    if (!this.enabled) {
      return failed(
        'configuration',
        `tasks of kind '${this.kind}' are disabled on this installation; an operator can enable them with ${this.enabledBy}=true`,
        request,
      );
    }
    let spec: ProcessSpec;
    let returnAs: ReturnAs;
    let awaited: boolean;
    try {
      const run = asObject(request.task.run, 'run');
      const process = asObject(run[this.kind.slice('run:'.length)], this.kind.replace(':', '.'));
      spec = this.spec(process, environment(process.environment));
      returnAs = (run.return ?? 'stdout') as ReturnAs;
      if (!RETURNS.has(returnAs)) {
        throw new HttpArgumentsError('configuration', `unknown run.return '${scalarText(run.return)}'`);
      }
      awaited = run.await !== false;
    } catch (e) {
      return argumentsFailure(request, e);
    }
    if (!awaited) {
      // Not awaited: the step completes with its input at once; the process keeps its limits.
      void runProcess(spec, this.settings, new AbortController().signal).catch(() => undefined);
      return { kind: 'completed', output: request.input };
    }
    return outcome(await runProcess(spec, this.settings, signal), returnAs, request, this.settings);
  }
}

export class ShellRunExecutor extends RunProcessExecutor {
  readonly kind = 'run:shell';

  constructor(settings: RunProcessSettings) {
    super(settings, settings.shellEnabled, 'RUN_SHELL_ENABLED');
  }

  /** `sh -c command sh arg1 arg2`: the arguments are `$1`, `$2`, … of the command. */
  protected spec(shell: Record<string, JsonValue | undefined>, env: Record<string, string>): ProcessSpec {
    if (typeof shell.command !== 'string' || shell.command === '') {
      throw new HttpArgumentsError('configuration', 'run.shell.command is required');
    }
    const command = shell.command;
    return {
      file: '/bin/sh',
      args: () => ['-c', command, 'sh', ...argumentList(shell.arguments)],
      env,
      stdin: stdin(shell.stdin),
    };
  }
}

export class ScriptRunExecutor extends RunProcessExecutor {
  readonly kind = 'run:script';

  constructor(settings: RunProcessSettings) {
    super(settings, settings.scriptEnabled, 'RUN_SCRIPT_ENABLED');
  }

  /** The code runs from a file, so arguments are where scripts expect them (`process.argv[2]`, `sys.argv[1]`). */
  protected spec(script: Record<string, JsonValue | undefined>, env: Record<string, string>): ProcessSpec {
    if (typeof script.code !== 'string') {
      throw new HttpArgumentsError(
        'configuration',
        script.source !== undefined
          ? 'run.script.source is not supported: give the code inline'
          : 'run.script.code is required',
      );
    }
    const code = script.code;
    const args = argumentList(script.arguments);
    switch (script.language) {
      case 'js':
      case 'javascript':
        return {
          file: process.execPath,
          args: (dir) => [
            '--experimental-permission',
            `--allow-fs-read=${dir}`,
            `--allow-fs-write=${dir}`,
            '--disable-warning=ExperimentalWarning',
            join(dir, 'script.js'),
            ...args,
          ],
          env,
          stdin: stdin(script.stdin),
          files: { 'script.js': code },
        };
      case 'python':
        return {
          file: 'python3',
          args: (dir) => ['-I', join(dir, 'script.py'), ...args],
          env,
          stdin: stdin(script.stdin),
          files: { 'script.py': code },
        };
      default:
        throw new HttpArgumentsError(
          'configuration',
          `script language '${scalarText(script.language)}' is not supported (js and python are)`,
        );
    }
  }
}

function outcome(end: ProcessEnd, returnAs: ReturnAs, request: TaskRequest, limits: ProcessLimits): TaskOutcome {
  switch (end.kind) {
    case 'timed-out':
      return failed('timeout', `the process did not finish within ${limits.timeoutMs} ms and was killed`, request);
    case 'output-exceeded':
      return failed(
        'runtime',
        `the process wrote more than ${limits.maxOutputBytes} bytes to ${end.stream} and was killed`,
        request,
      );
    case 'not-started':
      return failed('configuration', `the process could not be started: ${end.message}`, request);
    case 'exited':
      break;
  }
  if (end.code !== 0 && returnAs !== 'code' && returnAs !== 'all') {
    const tail = end.stderr.trim().slice(-500);
    return failed('runtime', `the process exited with code ${end.code}${tail === '' ? '' : `: ${tail}`}`, request);
  }
  const results: Record<ReturnAs, JsonValue> = {
    stdout: withoutFinalNewline(end.stdout),
    stderr: withoutFinalNewline(end.stderr),
    code: end.code,
    all: { code: end.code, stdout: end.stdout, stderr: end.stderr },
    none: null,
  };
  return { kind: 'completed', output: results[returnAs] };
}

function failed(kind: DslErrorKind, detail: string, request: TaskRequest): TaskOutcome {
  return { kind: 'failed', error: dslError(kind, { detail, instance: request.taskPath }) };
}

function environment(value: JsonValue | undefined): Record<string, string> {
  const own = value === undefined ? {} : (asObject(value, 'environment') as JsonObject);
  const env: Record<string, string> = { ...BASE_ENV };
  for (const [name, entry] of Object.entries(own)) if (entry !== null) env[name] = scalarText(entry);
  return env;
}

function argumentList(value: JsonValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new HttpArgumentsError('configuration', 'arguments must be a list');
  return value.map((item) => scalarText(item));
}

function stdin(value: JsonValue | undefined): string | undefined {
  return value === undefined || value === null ? undefined : scalarText(value);
}

function withoutFinalNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
