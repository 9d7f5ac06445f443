import { fail } from './runtime';
import type { Json, JsonObject } from './value';
import { setKey } from './value';

/**
 * Reads JSON text the way jq does: standard JSON, plus a leading byte order mark and the literals
 * `nan`, `NaN`, `Infinity` and `-Infinity` (with optional minus). Strict JSON goes through
 * JSON.parse; only text it rejects is read by this slower reader.
 */
export function parseJson(text: string): Json {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (src.length > MAX_PARSING_DEPTH && nestingDepth(src) > MAX_PARSING_DEPTH) {
    return fail(`Exceeds depth limit for parsing (while parsing '${text}')`);
  }
  try {
    return JSON.parse(src) as Json;
  } catch {
    return new Reader(src, text).document();
  }
}

/** jq refuses JSON text nested deeper than this (jv_parse.c). */
const MAX_PARSING_DEPTH = 10000;

/** The deepest bracket nesting of JSON text, skipping strings. */
function nestingDepth(s: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return max;
}

const WORDS: Record<string, number> = { nan: NaN, NaN: NaN, Infinity: Infinity, infinity: Infinity };

class Reader {
  private i = 0;

  constructor(
    private readonly s: string,
    private readonly original: string,
  ) {}

  document(): Json {
    const v = this.value();
    this.space();
    if (this.i < this.s.length) this.error('Unexpected extra JSON values');
    return v;
  }

  private error(what: string): never {
    const before = this.s.slice(0, this.i);
    const line = before.split('\n').length;
    const column = this.i - before.lastIndexOf('\n') - 1;
    const where = this.i >= this.s.length ? 'at EOF ' : '';
    return fail(`${what} ${where}at line ${line}, column ${column} (while parsing '${this.original}')`);
  }

  private space(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i] as string)) this.i++;
  }

  private value(): Json {
    this.space();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    return this.literal();
  }

  private literal(): Json {
    const m = /^[^\s,:[\]{}"]+/.exec(this.s.slice(this.i));
    const word = m?.[0] ?? '';
    this.i += word.length;
    if (word === '') this.error('Expected JSON value');
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    const sign = word.startsWith('-') ? -1 : 1;
    const bare = word.replace(/^-/, '');
    const special = WORDS[bare];
    if (special !== undefined) return sign * special;
    if (/^(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(bare)) return sign * Number(bare);
    return this.error('Invalid numeric literal');
  }

  private string(): string {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.s.slice(this.i));
    if (m === null) return this.error('Invalid string literal');
    this.i += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  private array(): Json[] {
    this.i++;
    const out: Json[] = [];
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.error('Expected separator between values');
    }
  }

  private object(): JsonObject {
    this.i++;
    const out: JsonObject = {};
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') this.error('Object keys must be strings');
      const key = this.string();
      this.space();
      if (this.s[this.i++] !== ':') this.error('Objects must consist of key:value pairs');
      setKey(out, key, this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.error('Expected separator between values');
    }
  }
}
