import type { Env } from '@wormhole/platform';
import { EnvReader } from '@wormhole/platform';
import { ConfigurationError } from '@wormhole/interfaces';

export const DATABASE_TYPES = ['postgres', 'redis', 'mongo', 'embedded'] as const;
export type DatabaseType = (typeof DATABASE_TYPES)[number];

export interface PostgresSettings {
  /** A full connection string; wins over the separate fields when set. */
  readonly url?: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string;
  readonly sslMode: 'disable' | 'require' | 'prefer' | 'verify-full';
  readonly maxConns: number;
  readonly maxIdleConns: number;
  /** Schema holding Wormhole's tables (tests use one schema per run). */
  readonly schema: string;
  /**
   * The connections' `application_name` (default `wormhole`): what `pg_stat_activity` shows, so
   * an operator (or a fault test) can tell one installation's sessions from another's.
   */
  readonly applicationName?: string;
}

export interface RedisSettings {
  readonly url: string;
  readonly password?: string;
  readonly db: number;
  /** Prefix for every key Wormhole writes (tests use one per test). */
  readonly keyPrefix: string;
}

export interface MongoSettings {
  readonly url?: string;
  readonly database: string;
  /** Execution logs expire this many days after their timestamp: the TTL index here, and the worker's purge on every backend (LOG_RETENTION_DAYS). */
  readonly logRetentionDays: number;
}

export interface StorageConfig {
  readonly type: DatabaseType;
  /** false: single-tenant deployment, tenant "default". */
  readonly tenantMode: boolean;
  readonly postgres: PostgresSettings;
  readonly redis: RedisSettings;
  readonly mongo: MongoSettings;
  /** Where the embedded backend keeps its data. */
  readonly dataDir: string;
}

/**
 * Reads the storage settings users bring from the original system (see the README's
 * configuration table). A URL wins over host/port fields when both are set.
 */
export function loadStorageConfig(env: Env, defaults: { type: DatabaseType } = { type: 'embedded' }): StorageConfig {
  const r = new EnvReader(env);
  const type = r.oneOf('DATABASE_TYPE', DATABASE_TYPES, defaults.type);
  const host = r.string('DATABASE_HOST');
  const port = r.raw('DATABASE_PORT') === undefined ? undefined : r.int('DATABASE_PORT', 0, { min: 1, max: 65535 });
  const pick = (t: DatabaseType, fallbackHost: string, fallbackPort: number): { host: string; port: number } =>
    type === t
      ? { host: host ?? fallbackHost, port: port ?? fallbackPort }
      : { host: fallbackHost, port: fallbackPort };

  const pg = pick('postgres', '127.0.0.1', 5432);
  const maxConns = r.int('DATABASE_MAX_CONNS', 10, { min: 1, max: 1000 });
  const maxIdleConns = r.int('DATABASE_MAX_IDLE_CONNS', Math.min(5, maxConns), { min: 0, max: 1000 });
  if (maxIdleConns > maxConns) {
    throw new ConfigurationError('DATABASE_MAX_IDLE_CONNS', `must not exceed DATABASE_MAX_CONNS (${maxConns})`);
  }
  const schema = r.string('POSTGRES_SCHEMA', 'wormhole');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigurationError('POSTGRES_SCHEMA', `must be a lower-case SQL identifier, got '${schema}'`);
  }

  const rd = pick('redis', '127.0.0.1', 6379);
  const redisUrl = r.url('REDIS_URL', ['redis', 'rediss']) ?? `redis://${rd.host}:${rd.port}`;
  const mongoUrl =
    r.url('MONGODB_URL', ['mongodb', 'mongodb+srv']) ??
    (type === 'mongo'
      ? `mongodb://${pick('mongo', '127.0.0.1', 27017).host}:${pick('mongo', '127.0.0.1', 27017).port}/`
      : undefined);

  return {
    type,
    tenantMode: r.bool('DATABASE_TENANT_MODE', true),
    postgres: {
      url: r.url('POSTGRES_URL', ['postgres', 'postgresql']) ?? r.url('DATABASE_URL', ['postgres', 'postgresql']),
      host: pg.host,
      port: pg.port,
      database: r.string('POSTGRES_DATABASE', 'postgres'),
      user: r.string('POSTGRES_USERNAME', 'postgres'),
      password: r.string('POSTGRES_PASSWORD'),
      sslMode: r.oneOf('POSTGRES_SSL_MODE', ['disable', 'require', 'prefer', 'verify-full'], 'disable'),
      maxConns,
      maxIdleConns,
      schema,
      applicationName: r.string('POSTGRES_APPLICATION_NAME', 'wormhole'),
    },
    redis: {
      url: redisUrl,
      password: r.string('REDIS_PASSWORD'),
      db: r.int('REDIS_DB', 0, { min: 0, max: 15 }),
      keyPrefix: r.string('REDIS_KEY_PREFIX', ''),
    },
    mongo: {
      url: mongoUrl,
      database: r.string('MONGODB_DATABASE', 'wormhole'),
      logRetentionDays: r.int('LOG_RETENTION_DAYS', 30, { min: 1, max: 3650 }),
    },
    dataDir: r.string('WORMHOLE_DATA_DIR', '.data'),
  };
}
