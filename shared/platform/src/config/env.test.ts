import { ConfigurationError } from '@wormhole/interfaces';
import { EnvReader, redactUrl } from './env';

describe('EnvReader', () => {
  it('reads typed values with fallbacks', () => {
    const r = new EnvReader({ N: '42', B: 'yes', E: 'Redis', S: '  x  ', BLANK: '' });
    expect(r.int('N', 1)).toBe(42);
    expect(r.int('MISSING', 7)).toBe(7);
    expect(new EnvReader({ R: '0.5' }).number('R', 0)).toBe(0.5);
    expect(r.number('N', 0)).toBe(42);
    expect(r.bool('B', false)).toBe(true);
    expect(r.oneOf('E', ['redis', 'postgres'], 'postgres')).toBe('redis');
    expect(r.string('S')).toBe('x');
    expect(r.string('BLANK', 'fallback')).toBe('fallback');
  });

  const cases: [Record<string, string>, (r: EnvReader) => unknown, RegExp][] = [
    [{ N: 'abc' }, (r: EnvReader) => r.int('N', 1), /N: expected an integer/],
    [{ N: '0' }, (r: EnvReader) => r.int('N', 1, { min: 1 }), /N: must be at least 1/],
    [{ R: '1e3' }, (r: EnvReader) => r.number('R', 0), /R: expected a number/],
    [{ R: '-1' }, (r: EnvReader) => r.number('R', 0, { min: 0 }), /R: must be at least 0/],
    [{ B: 'maybe' }, (r: EnvReader) => r.bool('B', true), /B: expected true or false/],
    [{ E: 'sqlite' }, (r: EnvReader) => r.oneOf('E', ['redis'], 'redis'), /E: must be one of redis/],
    [{ U: 'not a url' }, (r: EnvReader) => r.url('U', ['redis']), /U: not a valid URL/],
    [{ U: 'http://x' }, (r: EnvReader) => r.url('U', ['redis']), /U: expected a redis URL/],
  ];
  it.each(cases)('names the variable in the error for %j', (env, read, message) => {
    const reader = new EnvReader(env);
    expect(() => read(reader)).toThrow(ConfigurationError);
    expect(() => read(reader)).toThrow(message);
  });

  it('hides passwords in URLs', () => {
    expect(redactUrl('postgres://user:secret@host/db')).toBe('postgres://user:***@host/db');
  });
});
