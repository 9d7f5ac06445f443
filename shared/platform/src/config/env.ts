import { ConfigurationError } from '@wormhole/interfaces';

/** The process environment, or a test's stand-in. Only composition roots pass `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Typed readers over an environment. Each throws ConfigurationError naming the variable, so an
 * invalid setting stops start-up with a message that says what to fix.
 */
export class EnvReader {
  constructor(private readonly env: Env) {}

  /** The raw value; empty strings count as unset. */
  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (!/^-?\d+$/.test(text)) throw new ConfigurationError(name, `expected an integer, got '${text}'`);
    return within(name, Number(text), bounds);
  }

  /** A decimal number such as 0.5 or 20. */
  number(name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new ConfigurationError(name, `expected a number, got '${text}'`);
    return within(name, Number(text), bounds);
  }

  bool(name: string, fallback: boolean): boolean {
    const text = this.raw(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    throw new ConfigurationError(name, `expected true or false, got '${text}'`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const lower = text.toLowerCase();
    const match = allowed.find((a) => a === lower);
    if (match === undefined) throw new ConfigurationError(name, `must be one of ${allowed.join(', ')}; got '${text}'`);
    return match;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const text = this.raw(name);
    if (text === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new ConfigurationError(name, `not a valid URL: '${redactUrl(text)}'`);
    }
    if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
      throw new ConfigurationError(name, `expected a ${protocols.join(' or ')} URL, got '${parsed.protocol}'`);
    }
    return text;
  }
}

/** Hides the password of a URL for messages and logs. */
export function redactUrl(text: string): string {
  return text.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** `value` of the variable `name`, if it lies within `bounds`. @throws ConfigurationError naming it */
function within(name: string, value: number, bounds: { min?: number; max?: number }): number {
  if (bounds.min !== undefined && value < bounds.min) {
    throw new ConfigurationError(name, `must be at least ${bounds.min}, got ${value}`);
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw new ConfigurationError(name, `must be at most ${bounds.max}, got ${value}`);
  }
  return value;
}
