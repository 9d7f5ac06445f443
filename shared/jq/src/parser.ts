import type { BinaryOp, FuncDef, Node, Pattern, StrFragment } from './ast';
import { JqSyntaxError } from './errors';
import type { StrPart, Token } from './lexer';
import { Lexer } from './lexer';

// Binary operator levels, loosest first (jq's parser.y precedence declarations).
const LEVELS: { ops: readonly string[]; assoc: 'left' | 'right' | 'none' }[] = [
  { ops: ['//'], assoc: 'right' },
  { ops: ['=', '|=', '+=', '-=', '*=', '/=', '%=', '//='], assoc: 'none' },
  { ops: ['or'], assoc: 'left' },
  { ops: ['and'], assoc: 'left' },
  { ops: ['==', '!=', '<', '<=', '>', '>='], assoc: 'none' },
  { ops: ['+', '-'], assoc: 'left' },
  { ops: ['*', '/', '%'], assoc: 'left' },
];

/** Parses a whole jq program into an AST. @throws JqSyntaxError */
export function parse(src: string): Node {
  const parser = new Parser(Lexer.tokenize(src));
  const node = parser.pipe();
  parser.expectEof();
  return node;
}

function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'num':
      return String(t.value);
    case 'str':
      return 'string';
    case 'field':
      return `.${t.text}`;
    case 'var':
      return `$${t.text}`;
    case 'format':
      return `@${t.text}`;
    default:
      return t.text;
  }
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    const t = this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
    if (t === undefined) throw new JqSyntaxError('syntax error, empty token stream', 1, 1);
    return t;
  }

  private take(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === text;
  }

  private isKw(text: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.text === text;
  }

  private fail(t: Token = this.peek()): never {
    throw new JqSyntaxError(`syntax error, unexpected ${describeToken(t)}`, t.pos.line, t.pos.column);
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) this.fail();
    this.i++;
  }

  private expectKw(text: string): void {
    if (!this.isKw(text)) this.fail();
    this.i++;
  }

  expectEof(): void {
    if (this.peek().kind !== 'eof') this.fail();
  }

  /** Query: the loosest level, `a | b`, right-associative. */
  pipe(): Node {
    const left = this.comma();
    if (this.isOp('|')) {
      this.i++;
      return { type: 'pipe', left, right: this.pipe() };
    }
    return left;
  }

  private comma(): Node {
    let left = this.binding();
    while (this.isOp(',')) {
      this.i++;
      left = { type: 'comma', left, right: this.binding() };
    }
    return left;
  }

  /** `def …;`, `label $x | …` and `E as $x | …` take the rest of the query as their body. */
  private binding(): Node {
    if (this.isKw('def')) {
      const defs: FuncDef[] = [];
      while (this.isKw('def')) defs.push(this.funcDef());
      return { type: 'defs', defs, body: this.pipe() };
    }
    if (this.isKw('label')) {
      this.i++;
      const t = this.take();
      if (t.kind !== 'var') this.fail(t);
      this.expectOp('|');
      return { type: 'label', name: t.text, body: this.pipe() };
    }
    const source = this.binary(0);
    if (!this.isKw('as')) return source;
    this.i++;
    const patterns = this.patterns();
    this.expectOp('|');
    return { type: 'as', source, patterns, body: this.pipe() };
  }

  private funcDef(): FuncDef {
    this.expectKw('def');
    const nameTok = this.take();
    if (nameTok.kind !== 'ident' && nameTok.kind !== 'keyword') this.fail(nameTok);
    const params: string[] = [];
    if (this.isOp('(')) {
      this.i++;
      for (;;) {
        const p = this.take();
        if (p.kind === 'ident' || p.kind === 'keyword') params.push(p.text);
        else if (p.kind === 'var') params.push('$' + p.text);
        else this.fail(p);
        if (this.isOp(';')) this.i++;
        else break;
      }
      this.expectOp(')');
    }
    this.expectOp(':');
    const body = this.pipe();
    this.expectOp(';');
    return { name: nameTok.text, params, body };
  }

  private binary(level: number): Node {
    const spec = LEVELS[level];
    if (spec === undefined) return this.postfix();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      const text = t.kind === 'op' || t.kind === 'keyword' ? t.text : '';
      if (!spec.ops.includes(text)) return left;
      this.i++;
      const right = spec.assoc === 'right' ? this.binary(level) : this.binary(level + 1);
      left = makeBinary(text, left, right);
      if (spec.assoc !== 'left') return left;
    }
  }

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'field') {
        this.i++;
        node = { type: 'index', target: node, key: { type: 'literal', value: t.text } };
      } else if (this.isOp('.') && this.peek(1).kind === 'str') {
        this.i++;
        node = { type: 'index', target: node, key: this.stringNode(this.take()) };
      } else if (this.isOp('[') || (this.isOp('.') && this.isOp('[', 1))) {
        if (this.isOp('.')) this.i++;
        node = this.bracket(node);
      } else if (this.isOp('?')) {
        this.i++;
        node = { type: 'try', body: node };
      } else return node;
    }
  }

  private bracket(target: Node): Node {
    this.expectOp('[');
    if (this.isOp(']')) {
      this.i++;
      return { type: 'iterate', target };
    }
    if (this.isOp(':')) {
      this.i++;
      const to = this.pipe();
      this.expectOp(']');
      return { type: 'slice', target, to };
    }
    const key = this.pipe();
    if (this.isOp(':')) {
      this.i++;
      if (this.isOp(']')) {
        this.i++;
        return { type: 'slice', target, from: key };
      }
      const to = this.pipe();
      this.expectOp(']');
      return { type: 'slice', target, from: key, to };
    }
    this.expectOp(']');
    return { type: 'index', target, key };
  }

  private primary(): Node {
    const t = this.take();
    switch (t.kind) {
      case 'num':
        return { type: 'literal', value: t.value };
      case 'str':
        return this.stringNode(t);
      case 'format':
        if (this.peek().kind === 'str') return this.stringNode(this.take(), t.text);
        return { type: 'format', name: t.text };
      case 'field':
        return { type: 'index', target: { type: 'identity' }, key: { type: 'literal', value: t.text } };
      case 'var':
        if (t.text === '__loc__') return { type: 'loc', line: t.pos.line };
        return { type: 'var', name: t.text, line: t.pos.line, column: t.pos.column };
      case 'ident':
        // jq's grammar has no literal tokens for these; they are constant builtins of arity 0.
        if (!this.isOp('(') && (t.text === 'null' || t.text === 'true' || t.text === 'false')) {
          return { type: 'literal', value: t.text === 'null' ? null : t.text === 'true' };
        }
        return this.call(t.text, t.pos.line, t.pos.column);
      case 'keyword':
        return this.keywordTerm(t);
      case 'op':
        return this.opTerm(t);
      default:
        return this.fail(t);
    }
  }

  private opTerm(t: Token & { kind: 'op' }): Node {
    switch (t.text) {
      case '.':
        if (this.peek().kind === 'str') {
          return { type: 'index', target: { type: 'identity' }, key: this.stringNode(this.take()) };
        }
        return { type: 'identity' };
      case '..':
        return { type: 'recurse' };
      case '-':
        return { type: 'neg', operand: this.postfix() };
      case '(': {
        const body = this.pipe();
        this.expectOp(')');
        return body;
      }
      case '[': {
        if (this.isOp(']')) {
          this.i++;
          return { type: 'array' };
        }
        const body = this.pipe();
        this.expectOp(']');
        return { type: 'array', body };
      }
      case '{':
        return this.object();
      default:
        return this.fail(t);
    }
  }

  private keywordTerm(t: Token & { kind: 'keyword' }): Node {
    switch (t.text) {
      case 'if':
        return this.ifTerm();
      case 'try': {
        const body = this.postfix();
        if (!this.isKw('catch')) return { type: 'try', body };
        this.i++;
        return { type: 'try', body, handler: this.postfix() };
      }
      case 'reduce':
      case 'foreach':
        return this.fold(t.text === 'reduce' ? 'reduce' : 'foreach');
      case 'break': {
        const v = this.take();
        if (v.kind !== 'var') this.fail(v);
        return { type: 'break', name: v.text, line: v.pos.line, column: v.pos.column };
      }
      case 'def': {
        // A definition in term position: `1 + def f: 2; f` is not jq, but `(def f: 2; f)` is.
        this.i--;
        return this.binding();
      }
      default:
        return this.fail(t);
    }
  }

  private ifTerm(): Node {
    const cond = this.pipe();
    this.expectKw('then');
    const then = this.pipe();
    if (this.isKw('elif')) {
      this.i++;
      return { type: 'if', cond, then, else: this.ifTerm() };
    }
    if (this.isKw('else')) {
      this.i++;
      const otherwise = this.pipe();
      this.expectKw('end');
      return { type: 'if', cond, then, else: otherwise };
    }
    this.expectKw('end');
    return { type: 'if', cond, then };
  }

  private fold(kind: 'reduce' | 'foreach'): Node {
    const source = this.binary(0);
    this.expectKw('as');
    const patterns = this.patterns();
    this.expectOp('(');
    const init = this.pipe();
    this.expectOp(';');
    const update = this.pipe();
    let extract: Node | undefined;
    if (kind === 'foreach' && this.isOp(';')) {
      this.i++;
      extract = this.pipe();
    }
    this.expectOp(')');
    // `?//` in reduce/foreach is rare; the first pattern is used, like a plain destructuring.
    const pattern = patterns[0] as Pattern;
    if (kind === 'reduce') return { type: 'reduce', source, pattern, init, update };
    return { type: 'foreach', source, pattern, init, update, ...(extract !== undefined && { extract }) };
  }

  private call(name: string, line: number, column: number): Node {
    const args: Node[] = [];
    if (this.isOp('(')) {
      this.i++;
      for (;;) {
        args.push(this.pipe());
        if (this.isOp(';')) this.i++;
        else break;
      }
      this.expectOp(')');
    }
    return { type: 'call', name, args, line, column };
  }

  private object(): Node {
    const entries: { key: Node; value: Node }[] = [];
    while (!this.isOp('}')) {
      entries.push(this.objectEntry());
      if (this.isOp(',')) this.i++;
      else break;
    }
    this.expectOp('}');
    return { type: 'object', entries };
  }

  private objectEntry(): { key: Node; value: Node } {
    const t = this.take();
    let key: Node;
    let shorthand: Node | undefined;
    if (t.kind === 'ident' || t.kind === 'keyword') {
      key = { type: 'literal', value: t.text };
      shorthand = { type: 'index', target: { type: 'identity' }, key };
    } else if (t.kind === 'var') {
      if (t.text === '__loc__') {
        key = { type: 'literal', value: '__loc__' };
        shorthand = { type: 'loc', line: t.pos.line };
      } else {
        const ref: Node = { type: 'var', name: t.text, line: t.pos.line, column: t.pos.column };
        if (!this.isOp(':')) return { key: { type: 'literal', value: t.text }, value: ref };
        key = ref;
      }
    } else if (t.kind === 'str' || (t.kind === 'format' && this.peek().kind === 'str')) {
      key = t.kind === 'str' ? this.stringNode(t) : this.stringNode(this.take(), t.text);
      shorthand = { type: 'index', target: { type: 'identity' }, key };
    } else if (t.kind === 'op' && t.text === '(') {
      key = this.pipe();
      this.expectOp(')');
    } else return this.fail(t);
    if (!this.isOp(':')) {
      if (shorthand === undefined) this.fail();
      return { key, value: shorthand };
    }
    this.i++;
    return { key, value: this.objectValue() };
  }

  /** An object value: an expression without `,`, pipes allowed (`{a: .b | length}`). */
  private objectValue(): Node {
    const left = this.binary(0);
    if (!this.isOp('|')) return left;
    this.i++;
    return { type: 'pipe', left, right: this.objectValue() };
  }

  private patterns(): Pattern[] {
    const out = [this.pattern()];
    while (this.isOp('?//')) {
      this.i++;
      out.push(this.pattern());
    }
    return out;
  }

  private pattern(): Pattern {
    const t = this.take();
    if (t.kind === 'var') return { type: 'var', name: t.text };
    if (t.kind === 'op' && t.text === '[') {
      const items: Pattern[] = [];
      do {
        if (items.length > 0) this.i++;
        items.push(this.pattern());
      } while (this.isOp(','));
      this.expectOp(']');
      return { type: 'array', items };
    }
    if (t.kind === 'op' && t.text === '{') {
      const entries: { key: Node; keyVar?: string; value?: Pattern }[] = [];
      do {
        if (entries.length > 0) this.i++;
        entries.push(this.objectPatternEntry());
      } while (this.isOp(','));
      this.expectOp('}');
      return { type: 'object', entries };
    }
    return this.fail(t);
  }

  private objectPatternEntry(): { key: Node; keyVar?: string; value?: Pattern } {
    const t = this.take();
    if (t.kind === 'var') {
      const key: Node = { type: 'literal', value: t.text };
      if (!this.isOp(':')) return { key, keyVar: t.text };
      this.i++;
      return { key, keyVar: t.text, value: this.pattern() };
    }
    let key: Node;
    if (t.kind === 'ident' || t.kind === 'keyword') key = { type: 'literal', value: t.text };
    else if (t.kind === 'str') key = this.stringNode(t);
    else if (t.kind === 'op' && t.text === '(') {
      key = this.pipe();
      this.expectOp(')');
    } else return this.fail(t);
    this.expectOp(':');
    return { key, value: this.pattern() };
  }

  private stringNode(t: Token, format?: string): Node {
    if (t.kind !== 'str') return this.fail(t);
    const parts: StrFragment[] = t.parts.map((p: StrPart) => {
      if (typeof p === 'string') return p;
      const sub = new Parser(p);
      const node = sub.pipe();
      sub.expectEof();
      return node;
    });
    if (format === undefined && parts.length === 1 && typeof parts[0] === 'string') {
      return { type: 'literal', value: parts[0] };
    }
    return { type: 'string', parts, ...(format !== undefined && { format }) };
  }
}

function makeBinary(op: string, left: Node, right: Node): Node {
  switch (op) {
    case '//':
      return { type: 'alt', left, right };
    case 'and':
      return { type: 'and', left, right };
    case 'or':
      return { type: 'or', left, right };
    case '=':
    case '|=':
    case '+=':
    case '-=':
    case '*=':
    case '/=':
    case '%=':
    case '//=':
      return { type: 'assign', op: op, left, right };
    default:
      return { type: 'binary', op: op as BinaryOp, left, right };
  }
}
