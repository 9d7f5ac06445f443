import { ConfigurationError } from '@wormhole/interfaces';
import type { Env, LogLevelSetting } from '@wormhole/platform';
import { EnvReader, LOG_LEVEL_SETTINGS } from '@wormhole/platform';
import type { StorageConfig } from '@wormhole/storage';
import { loadStorageConfig } from '@wormhole/storage';

export interface ApiConfig {
  readonly storage: StorageConfig;
  readonly logLevel: LogLevelSetting;
  readonly port: number;
  readonly host: string;
  /** Request bodies larger than this get 413 before any work is done. */
  readonly bodyLimitBytes: number;
  /** false: single-tenant; routes also answer without the tenant segment, as tenant "default". */
  readonly tenantMode: boolean;
  readonly shutdownGraceMs: number;
  /** How long a cancel request waits for the run to record its cancellation. */
  readonly cancelWaitMs: number;
  /** Executions one tenant may have pending, running or waiting at once; 0: no limit. */
  readonly maxActiveExecutionsPerTenant: number;
  /** Execution starts per second one tenant may make, per API process; 0: no limit. */
  readonly tenantStartRate: number;
  /** Starts a tenant may make at once after being idle (the token bucket's size). */
  readonly tenantStartBurst: number;
  /** none: open API (quick start); apikey: every /api/v1 request needs a tenant or the admin key. */
  readonly authMode: AuthMode;
  /** Manages tenant keys; required (at least 32 characters) with apikey. Never logged. */
  readonly adminApiKey?: string;
  /** How long a verified key is trusted without asking the database (the revocation delay). */
  readonly apiKeyCacheMs: number;
}

export const AUTH_MODES = ['none', 'apikey'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Reads and validates the API's settings once; an invalid value names its variable. */
export function loadApiConfig(env: Env): ApiConfig {
  const r = new EnvReader(env);
  const storage = loadStorageConfig(env);
  return {
    storage,
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVEL_SETTINGS, 'info'),
    port: r.int('API_PORT', 8080, { min: 0, max: 65535 }),
    host: r.string('API_HOST', '0.0.0.0'),
    bodyLimitBytes: parseSize('API_BODY_LIMIT', r.string('API_BODY_LIMIT', '10mb')),
    tenantMode: storage.tenantMode,
    shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 30000, { min: 0, max: 600000 }),
    cancelWaitMs: r.int('API_CANCEL_WAIT_MS', 2000, { min: 0, max: 60000 }),
    maxActiveExecutionsPerTenant: r.int('TENANT_MAX_ACTIVE_EXECUTIONS', 0, { min: 0, max: 10_000_000 }),
    ...startRate(r),
    ...auth(r),
  };
}

function auth(r: EnvReader): Pick<ApiConfig, 'authMode' | 'adminApiKey' | 'apiKeyCacheMs'> {
  const authMode = r.oneOf('AUTH_MODE', AUTH_MODES, 'none');
  const adminApiKey = r.string('ADMIN_API_KEY');
  if (authMode === 'apikey' && (adminApiKey === undefined || adminApiKey.length < 32)) {
    // The message never repeats the value: it is a secret even when too short.
    throw new ConfigurationError('ADMIN_API_KEY', 'required with AUTH_MODE=apikey, at least 32 characters');
  }
  return {
    authMode,
    ...(authMode === 'apikey' && adminApiKey !== undefined ? { adminApiKey } : {}),
    apiKeyCacheMs: r.int('API_KEY_CACHE_MS', 5000, { min: 0, max: 300_000 }),
  };
}

function startRate(r: EnvReader): Pick<ApiConfig, 'tenantStartRate' | 'tenantStartBurst'> {
  const tenantStartRate = r.number('TENANT_START_RATE', 0, { min: 0, max: 1_000_000 });
  // By default a tenant may spend one second's worth of starts at once (at least one).
  const tenantStartBurst = r.int('TENANT_START_BURST', Math.max(1, Math.ceil(tenantStartRate)), {
    min: 1,
    max: 10_000_000,
  });
  return { tenantStartRate, tenantStartBurst };
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "10mb", "512kb", "1048576" → bytes. */
export function parseSize(variable: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) throw new ConfigurationError(variable, `expected a size such as 10mb or 1048576, got '${text}'`);
  const bytes = Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
  if (bytes < 1) throw new ConfigurationError(variable, 'must be at least 1 byte');
  return bytes;
}
