import { JqSyntaxError } from './errors';

export interface Pos {
  readonly line: number;
  readonly column: number;
}

/** A string literal: text pieces and, between them, the tokens of each `\(…)` interpolation. */
export type StrPart = string | Token[];

export type Token =
  | { kind: 'ident'; text: string; pos: Pos }
  | { kind: 'keyword'; text: string; pos: Pos }
  | { kind: 'field'; text: string; pos: Pos }
  | { kind: 'var'; text: string; pos: Pos }
  | { kind: 'format'; text: string; pos: Pos }
  | { kind: 'num'; value: number; pos: Pos }
  | { kind: 'str'; parts: StrPart[]; pos: Pos }
  | { kind: 'op'; text: string; pos: Pos }
  | { kind: 'eof'; pos: Pos };

export const KEYWORDS: ReadonlySet<string> = new Set([
  'as',
  'def',
  'module',
  'import',
  'include',
  'if',
  'then',
  'else',
  'elif',
  'reduce',
  'foreach',
  'end',
  'and',
  'or',
  'try',
  'catch',
  'label',
  'break',
  '__loc__',
]);

// Longest first, so that `//=` wins over `//` and `?//` over `?`.
const OPERATORS = [
  '?//',
  '//=',
  '|=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '==',
  '!=',
  '<=',
  '>=',
  '//',
  '..',
  '.',
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  '|',
  ',',
  ':',
  ';',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '?',
];

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_]/.test(c);
}
function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_0-9]/.test(c);
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Turns jq program text into tokens; string interpolations are tokenised recursively. */
export class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly src: string) {}

  static tokenize(src: string): Token[] {
    const lexer = new Lexer(src);
    const out = lexer.until(null);
    return out;
  }

  private pos(at = this.i): Pos {
    return { line: this.line, column: at - this.lineStart + 1 };
  }

  fail(message: string, pos: Pos = this.pos()): never {
    throw new JqSyntaxError(message, pos.line, pos.column);
  }

  /** Tokens until end of input (closer null) or the `)` that closes an interpolation. */
  private until(closer: ')' | null): Token[] {
    const out: Token[] = [];
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') {
        if (closer !== null) this.fail('unterminated string interpolation', t.pos);
        out.push(t);
        return out;
      }
      if (closer !== null && t.kind === 'op') {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) {
            out.push({ kind: 'eof', pos: t.pos });
            return out;
          }
          depth--;
        }
      }
      out.push(t);
    }
  }

  private skipSpace(): void {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\n') {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  private next(): Token {
    this.skipSpace();
    const s = this.src;
    const start = this.i;
    const pos = this.pos();
    const c = s[start];
    if (c === undefined) return { kind: 'eof', pos };
    if (c === '"') return { kind: 'str', parts: this.string(), pos };
    if (isDigit(c) || (c === '.' && isDigit(s[start + 1]))) return { kind: 'num', value: this.number(), pos };
    if (c === '.' && isIdentStart(s[start + 1])) {
      this.i++;
      return { kind: 'field', text: this.word(false), pos };
    }
    if (c === '$' && isIdentStart(s[start + 1])) {
      this.i++;
      return { kind: 'var', text: this.word(true), pos };
    }
    if (c === '@' && isIdentStart(s[start + 1])) {
      this.i++;
      return { kind: 'format', text: this.word(false), pos };
    }
    if (isIdentStart(c)) {
      const text = this.word(true);
      return KEYWORDS.has(text) ? { kind: 'keyword', text, pos } : { kind: 'ident', text, pos };
    }
    for (const op of OPERATORS) {
      if (s.startsWith(op, start)) {
        this.i += op.length;
        return { kind: 'op', text: op, pos };
      }
    }
    return this.fail(`unexpected character '${c}'`, pos);
  }

  /** An identifier; `a::b` module paths are accepted where jq accepts them. */
  private word(modules: boolean): string {
    const s = this.src;
    const start = this.i;
    for (;;) {
      while (isIdentChar(s[this.i])) this.i++;
      if (modules && s[this.i] === ':' && s[this.i + 1] === ':' && isIdentStart(s[this.i + 2])) this.i += 2;
      else break;
    }
    return s.slice(start, this.i);
  }

  private number(): number {
    const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(this.src.slice(this.i, this.i + 400));
    const text = m?.[0] ?? '';
    this.i += text.length;
    return Number(text);
  }

  private string(): StrPart[] {
    const s = this.src;
    const parts: StrPart[] = [];
    let text = '';
    this.i++;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) this.fail('unterminated string literal');
      if (c === '"') {
        this.i++;
        break;
      }
      if (c === '\n') {
        this.line++;
        this.lineStart = this.i + 1;
      }
      if (c !== '\\') {
        text += c;
        this.i++;
        continue;
      }
      const e = s[this.i + 1];
      if (e === '(') {
        this.i += 2;
        parts.push(text);
        text = '';
        parts.push(this.until(')'));
      } else if (e === 'u') {
        text += this.unicodeEscape();
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        text += ESCAPES[e];
        this.i += 2;
      } else this.fail(`invalid escape '\\${e ?? ''}'`);
    }
    parts.push(text);
    return parts;
  }

  private unicodeEscape(): string {
    const hex = this.src.slice(this.i + 2, this.i + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
    this.i += 6;
    return String.fromCharCode(parseInt(hex, 16));
  }
}
