import winston from 'winston';
import type { LogFields, Logger } from '@wormhole/interfaces';

export const LOG_LEVEL_SETTINGS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** LOG_LEVEL: a log level, or `silent`. */
export type LogLevelSetting = (typeof LOG_LEVEL_SETTINGS)[number];

/** The one file that knows winston: JSON lines on stdout, with bound ids on every line. */
class WinstonLogger implements Logger {
  constructor(private readonly inner: winston.Logger) {}

  debug(message: string, fields?: LogFields): void {
    this.inner.debug(message, serialise(fields));
  }
  info(message: string, fields?: LogFields): void {
    this.inner.info(message, serialise(fields));
  }
  warn(message: string, fields?: LogFields): void {
    this.inner.warn(message, serialise(fields));
  }
  error(message: string, fields?: LogFields): void {
    this.inner.error(message, serialise(fields));
  }
  child(fields: LogFields): Logger {
    return new WinstonLogger(this.inner.child(serialise(fields) ?? {}));
  }
}

function serialise(fields?: LogFields): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const { err, ...rest } = fields;
  if (!err) return rest;
  return { ...rest, error: { name: err.name, message: err.message, stack: err.stack } };
}

export function createWinstonLogger(options: { service: string; level: LogLevelSetting }): Logger {
  const inner = winston.createLogger({
    level: options.level === 'silent' ? 'error' : options.level,
    silent: options.level === 'silent',
    defaultMeta: { service: options.service },
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
  return new WinstonLogger(inner);
}
