import type { LogFields, Logger } from '@wormhole/interfaces';

export interface CapturedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** Keeps lines in memory: for tests that assert what was logged, and as a silent logger. */
export class MemoryLogger implements Logger {
  constructor(
    readonly lines: CapturedLine[] = [],
    private readonly bound: LogFields = {},
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.push('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.push('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.push('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.push('error', message, fields);
  }
  child(fields: LogFields): Logger {
    return new MemoryLogger(this.lines, { ...this.bound, ...fields });
  }

  private push(level: CapturedLine['level'], message: string, fields?: LogFields): void {
    this.lines.push({ level, message, fields: { ...this.bound, ...fields } });
  }
}
