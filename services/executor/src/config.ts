import type { Env, LogLevelSetting } from '@wormhole/platform';
import type { SecretsConfig } from '@wormhole/platform';
import { EnvReader, LOG_LEVEL_SETTINGS, loadSecretsConfig } from '@wormhole/platform';
import type { StorageConfig } from '@wormhole/storage';
import type { HttpCallSettings } from './tasks/http-exchange';
import type { RunProcessSettings } from './tasks/run-process-executor';
import type { TimerLoopSettings } from './timer-loop';
import { loadStorageConfig } from '@wormhole/storage';
import { ConfigurationError } from '@wormhole/interfaces';
import { DEFAULT_BLOCKED_NETWORKS, NetworkPolicy } from './tasks/network-policy';

export interface ExecutorConfig {
  readonly storage: StorageConfig;
  readonly logLevel: LogLevelSetting;
  /** Port of the /health, /ready and /metrics endpoints; 0 picks a free port. */
  readonly healthPort: number;
  /** Steps handled at once by this process. */
  readonly concurrency: number;
  /** How long SIGTERM waits for in-flight work before exiting. */
  readonly shutdownGraceMs: number;
  /** Attempts at a step that fails transiently (no response) before it fails for good. */
  readonly maxAttempts: number;
  readonly http: HttpCallSettings;
  /** `run: shell` and `run: script`: off unless enabled, then time- and output-limited. */
  readonly processes: RunProcessSettings;
  readonly timers: TimerLoopSettings;
  /** Where `$secrets` come from (SECRETS_ENV_PREFIX, SECRETS_FILE). */
  readonly secrets: SecretsConfig;
}

/** Reads and validates the executor's settings once; an invalid value names its variable. */
export function loadExecutorConfig(env: Env): ExecutorConfig {
  const r = new EnvReader(env);
  return {
    storage: loadStorageConfig(env),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVEL_SETTINGS, 'info'),
    healthPort: r.int('EXECUTOR_HEALTH_PORT', 8082, { min: 0, max: 65535 }),
    concurrency: r.int('EXECUTOR_CONCURRENCY', 20, { min: 1, max: 1000 }),
    shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 30000, { min: 0, max: 600000 }),
    maxAttempts: r.int('TASK_MAX_ATTEMPTS', 3, { min: 1, max: 100 }),
    http: {
      timeoutMs: r.int('HTTP_CALL_TIMEOUT_MS', 30000, { min: 1, max: 3600000 }),
      maxResponseBytes: r.int('HTTP_CALL_MAX_RESPONSE_BYTES', 10 * 1024 * 1024, { min: 1 }),
      retryDelayMs: r.int('HTTP_CALL_RETRY_DELAY_MS', 1000, { min: 0, max: 600000 }),
      network: networkPolicy(r),
    },
    processes: {
      shellEnabled: r.bool('RUN_SHELL_ENABLED', false),
      scriptEnabled: r.bool('RUN_SCRIPT_ENABLED', false),
      timeoutMs: r.int('RUN_PROCESS_TIMEOUT_MS', 60000, { min: 1, max: 3600000 }),
      maxOutputBytes: r.int('RUN_PROCESS_MAX_OUTPUT_BYTES', 1024 * 1024, { min: 1 }),
    },
    timers: {
      pollMs: r.int('TIMER_POLL_MS', 20, { min: 1, max: 60000 }),
      leaseMs: 30000,
      batchSize: 100,
    },
    secrets: loadSecretsConfig(env),
  };
}

/** HTTP_CALL_BLOCKED_NETWORKS replaces the default list; HTTP_CALL_ALLOWED_NETWORKS punches holes in it. */
function networkPolicy(r: EnvReader): NetworkPolicy {
  const list = (name: string): string[] | undefined =>
    r
      .string(name)
      ?.split(',')
      .map((cidr) => cidr.trim())
      .filter((cidr) => cidr !== '');
  const blocked = list('HTTP_CALL_BLOCKED_NETWORKS') ?? DEFAULT_BLOCKED_NETWORKS;
  const allowed = list('HTTP_CALL_ALLOWED_NETWORKS') ?? [];
  try {
    new NetworkPolicy(blocked, []);
  } catch (e) {
    throw new ConfigurationError('HTTP_CALL_BLOCKED_NETWORKS', (e as Error).message);
  }
  try {
    return new NetworkPolicy(blocked, allowed);
  } catch (e) {
    throw new ConfigurationError('HTTP_CALL_ALLOWED_NETWORKS', (e as Error).message);
  }
}
