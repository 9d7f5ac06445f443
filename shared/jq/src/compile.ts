import type { FuncDef, Node, Pattern } from './ast';
import { compileAssign } from './assign';
import { JqRuntimeError, JqSyntaxError } from './errors';
import { applyFormat, isFormat } from './formats';
import type { CompiledPattern } from './patterns';
import {
  alternative,
  at,
  binary,
  collect,
  comma,
  emitSlice,
  foreachFilter,
  guardDownstream,
  guardDownstreamPaths,
  IDENTITY,
  ifFilter,
  iterate,
  label,
  logical,
  negate,
  pipe,
  RECURSE,
  reduceFilter,
  tryFilter,
} from './filters';
import { compilePattern, patternNames } from './patterns';
import { findPrelude } from './prelude';
import * as ops from './ops';
import { findNative } from './registry';
import type { Closure, Env, Filter } from './runtime';
import * as runtime from './runtime';
import type { Json, JsonObject } from './value';
import * as values from './value';

// CommonJS output of tsx and swc reads every imported binding through a getter; compiled closures
// call these on every evaluation, so they are read once here (see filters.ts).
const { index, slice } = ops;
const { BreakSignal, checkSize, fail, lookup, push, singleValued, step, valueOnly } = runtime;
const { describe, hasKey, setKey } = values;

interface FuncHolder {
  body: Filter | null;
}

type ScopeEntry =
  | { kind: 'root' }
  | { kind: 'var'; name: string }
  | { kind: 'func'; name: string; arity: number; holder: FuncHolder }
  | { kind: 'param'; name: string }
  | { kind: 'label'; name: string };

export interface Scope {
  readonly entry: ScopeEntry;
  readonly next: Scope | null;
}

export interface CompileOptions {
  /** When given, a free `$name` not in this list is a compile error (jq's "$x is not defined"). */
  readonly variables?: readonly string[];
}

export const ROOT_SCOPE: Scope = { entry: { kind: 'root' }, next: null };

function extend(scope: Scope, entry: ScopeEntry): Scope {
  return { entry, next: scope };
}

function hopsTo(scope: Scope, match: (e: ScopeEntry) => boolean): { hops: number; entry: ScopeEntry } | null {
  let hops = 0;
  for (let s: Scope | null = scope; s !== null; s = s.next, hops++) {
    if (match(s.entry)) return { hops, entry: s.entry };
  }
  return null;
}

/** Stops an exception thrown by a consumer from being caught by the producer's `try`. */
export class Compiler {
  constructor(private readonly options: CompileOptions) {}

  compile(node: Node, scope: Scope): Filter {
    switch (node.type) {
      case 'identity':
        return IDENTITY;
      case 'recurse':
        return RECURSE;
      case 'literal': {
        const value = node.value;
        return singleValued(() => value);
      }
      case 'loc': {
        const value: Json = { file: '<top-level>', line: node.line };
        return singleValued(() => value);
      }
      case 'string':
        return this.string(node.parts, node.format ?? 'text', scope);
      case 'format': {
        const name = node.name;
        if (!isFormat(name)) throw new JqSyntaxError(`${name} is not a valid format`, 1, 1);
        return valueOnly((input, _e, emit) => emit(applyFormat(name, input)));
      }
      case 'index':
        return this.index(this.compile(node.target, scope), node.key, scope);
      case 'slice':
        return this.slice(node, scope);
      case 'iterate':
        return iterate(this.compile(node.target, scope));
      case 'try':
        return tryFilter(this.compile(node.body, scope), node.handler && this.compile(node.handler, scope));
      case 'neg':
        return negate(this.compile(node.operand, scope));
      case 'array':
        return collect(node.body === undefined ? null : this.compile(node.body, scope));
      case 'object':
        return this.object(node.entries, scope);
      case 'pipe':
        return pipe(this.compile(node.left, scope), this.compile(node.right, scope));
      case 'comma':
        return comma(this.compile(node.left, scope), this.compile(node.right, scope));
      case 'binary':
        return binary(node.op, this.compile(node.left, scope), this.compile(node.right, scope));
      case 'and':
      case 'or':
        return logical(node.type, this.compile(node.left, scope), this.compile(node.right, scope));
      case 'alt':
        return alternative(this.compile(node.left, scope), this.compile(node.right, scope));
      case 'assign':
        return compileAssign(node.op, this.compile(node.left, scope), this.compile(node.right, scope));
      case 'if':
        return ifFilter(
          this.compile(node.cond, scope),
          this.compile(node.then, scope),
          node.else && this.compile(node.else, scope),
        );
      case 'reduce':
      case 'foreach':
        return this.fold(node, scope);
      case 'as':
        return this.as(node.source, node.patterns, node.body, scope);
      case 'var':
        return this.variable(node, scope);
      case 'call':
        return this.call(node, scope);
      case 'defs':
        return this.defs(node.defs, node.body, scope);
      case 'label':
        return label(this.compile(node.body, extend(scope, { kind: 'label', name: node.name })));
      case 'break': {
        const found = hopsTo(scope, (e) => e.kind === 'label' && e.name === node.name);
        if (found === null) throw new JqSyntaxError(`$*label-${node.name} is not defined`, node.line, node.column);
        const hops = found.hops;
        return {
          run: (_i, env) => {
            throw new BreakSignal(lookup(env, hops).v as object);
          },
          paths: (_i, _p, env) => {
            throw new BreakSignal(lookup(env, hops).v as object);
          },
        };
      }
    }
  }

  private index(target: Filter, keyNode: Node, scope: Scope): Filter {
    if (keyNode.type === 'literal') {
      const k = keyNode.value;
      if (target === IDENTITY) {
        return {
          run: (input, _env, emit) => emit(index(input, k)),
          paths: (input, path, _env, emit) => at(input, path, k, emit),
          single: (input) => index(input, k),
        };
      }
      const paths: Filter['paths'] = (input, path, env, emit) =>
        target.paths(input, path, env, (t, p) => at(t, p, k, emit));
      const one = target.single;
      if (one !== undefined) {
        return {
          run: (input, env, emit) => emit(index(one(input, env), k)),
          paths,
          single: (input, env) => index(one(input, env), k),
        };
      }
      return { run: (input, env, emit) => target.run(input, env, (t) => emit(index(t, k))), paths };
    }
    const key = this.compile(keyNode, scope);
    return {
      run: (input, env, emit) => key.run(input, env, (k) => target.run(input, env, (t) => emit(index(t, k)))),
      paths: (input, path, env, emit) =>
        key.run(input, env, (k) => target.paths(input, path, env, (t, p) => at(t, p, k, emit))),
    };
  }

  private slice(node: Node & { type: 'slice' }, scope: Scope): Filter {
    const target = this.compile(node.target, scope);
    const from = node.from === undefined ? null : this.compile(node.from, scope);
    const to = node.to === undefined ? null : this.compile(node.to, scope);
    const bounds = (input: Json, env: Env, k: (f: Json, t: Json) => boolean): boolean => {
      const withTo = (f: Json): boolean => (to === null ? k(f, null) : to.run(input, env, (t) => k(f, t)));
      return from === null ? withTo(null) : from.run(input, env, withTo);
    };
    return {
      run: (input, env, emit) => bounds(input, env, (f, t) => target.run(input, env, (v) => emit(slice(v, f, t)))),
      paths: (input, path, env, emit) =>
        bounds(input, env, (f, t) => target.paths(input, path, env, (v, p) => emitSlice(v, p, f, t, emit))),
    };
  }

  private string(parts: readonly (string | Node)[], format: string, scope: Scope): Filter {
    if (!isFormat(format)) throw new JqSyntaxError(`${format} is not a valid format`, 1, 1);
    const compiled = parts.map((p) => (typeof p === 'string' ? p : this.compile(p, scope)));
    return valueOnly((input, env, emit) => {
      const out: string[] = new Array<string>(compiled.length);
      // The last interpolation varies slowest, as in jq.
      const go = (i: number): boolean => {
        if (i < 0) return emit(checkSize(env.ctx, out.join('')));
        const part = compiled[i] as string | Filter;
        if (typeof part === 'string') {
          out[i] = part;
          return go(i - 1);
        }
        return part.run(input, env, (v) => {
          out[i] = applyFormat(format, v);
          return go(i - 1);
        });
      };
      return go(compiled.length - 1);
    });
  }

  private object(entries: readonly { key: Node; value: Node }[], scope: Scope): Filter {
    for (const e of entries) {
      // jq rejects a constant non-string key when compiling, not when running.
      if (e.key.type === 'literal' && typeof e.key.value !== 'string') {
        throw new JqSyntaxError(`Cannot use ${describe(e.key.value)} as object key`, 1, 1);
      }
    }
    const compiled = entries.map((e) => ({ key: this.compile(e.key, scope), value: this.compile(e.value, scope) }));
    if (compiled.every((e) => e.key.single !== undefined && e.value.single !== undefined)) {
      const direct = compiled.map((e) => ({
        key: e.key.single as (input: Json, env: Env) => Json,
        value: e.value.single as (input: Json, env: Env) => Json,
      }));
      return singleValued((input, env) => {
        const o: JsonObject = {};
        for (const e of direct) {
          const k = e.key(input, env);
          if (typeof k !== 'string') return fail(`Cannot use ${describe(k)} as object key`);
          setKey(o, k, e.value(input, env));
        }
        return o;
      });
    }
    return valueOnly((input, env, emit) => {
      const keys: string[] = new Array<string>(compiled.length);
      const vals: Json[] = new Array<Json>(compiled.length);
      const go = (i: number): boolean => {
        const entry = compiled[i];
        if (entry === undefined) {
          const o: JsonObject = {};
          for (let j = 0; j < keys.length; j++) setKey(o, keys[j] as string, vals[j] as Json);
          return emit(o);
        }
        return entry.key.run(input, env, (k) => {
          if (typeof k !== 'string') return fail(`Cannot use ${describe(k)} as object key`);
          keys[i] = k;
          return entry.value.run(input, env, (v) => {
            vals[i] = v;
            return go(i + 1);
          });
        });
      };
      return go(0);
    });
  }

  private fold(node: Node & { type: 'reduce' | 'foreach' }, scope: Scope): Filter {
    const source = this.compile(node.source, scope);
    const init = this.compile(node.init, scope);
    const { pattern, inner } = this.pattern([node.pattern], scope);
    const bind = pattern[0] as CompiledPattern;
    const update = this.compile(node.update, inner);
    if (node.type === 'reduce') return reduceFilter(source, bind, init, update);
    const extract = node.extract === undefined ? null : this.compile(node.extract, inner);
    return foreachFilter(source, bind, init, update, extract);
  }

  private pattern(patterns: readonly Pattern[], scope: Scope): { pattern: CompiledPattern[]; inner: Scope } {
    const names = patternNames(patterns);
    let inner = scope;
    for (const name of names) inner = extend(inner, { kind: 'var', name });
    const compileKey = (n: Node): Filter => this.compile(n, inner);
    return { pattern: patterns.map((p) => compilePattern(p, names, compileKey)), inner };
  }

  private as(sourceNode: Node, patterns: readonly Pattern[], bodyNode: Node, scope: Scope): Filter {
    const source = this.compile(sourceNode, scope);
    const { pattern, inner } = this.pattern(patterns, scope);
    const body = this.compile(bodyNode, inner);
    const only = pattern.length === 1 ? (pattern[0] as CompiledPattern) : null;
    if (only !== null) {
      const first = patterns[0];
      if (first?.type === 'var') {
        // The common `E as $x | body`: no destructuring machinery.
        return {
          run: (input, env, emit) => source.run(input, env, (v) => body.run(input, push(env, v), emit)),
          paths: (input, path, env, emit) => source.run(input, env, (v) => body.paths(input, path, push(env, v), emit)),
        };
      }
      return {
        run: (input, env, emit) =>
          source.run(input, env, (v) => only.bind(v, input, env, (e) => body.run(input, e, emit))),
        paths: (input, path, env, emit) =>
          source.run(input, env, (v) => only.bind(v, input, env, (e) => body.paths(input, path, e, emit))),
      };
    }
    // `?//`: an error while binding or in the body moves on to the next alternative; errors
    // thrown by the consumer downstream are not the body's and pass through.
    const alternatives = (
      input: Json,
      env: Env,
      v: Json,
      run: (e: Env) => boolean,
      isDownstream: (e: unknown) => boolean,
    ): boolean => {
      for (let i = 0; i < pattern.length - 1; i++) {
        try {
          return (pattern[i] as CompiledPattern).bind(v, input, env, run);
        } catch (e) {
          if (!(e instanceof JqRuntimeError) || isDownstream(e)) throw e;
        }
      }
      return (pattern[pattern.length - 1] as CompiledPattern).bind(v, input, env, run);
    };
    return {
      run: (input, env, emit) =>
        source.run(input, env, (v) => {
          const guard = guardDownstream(emit);
          return alternatives(input, env, v, (e) => body.run(input, e, guard.emit), guard.isDownstream);
        }),
      paths: (input, path, env, emit) =>
        source.run(input, env, (v) => {
          const guard = guardDownstreamPaths(emit);
          return alternatives(input, env, v, (e) => body.paths(input, path, e, guard.emit), guard.isDownstream);
        }),
    };
  }

  private variable(node: Node & { type: 'var' }, scope: Scope): Filter {
    const found = hopsTo(scope, (e) => e.kind === 'var' && e.name === node.name);
    if (found !== null) {
      const hops = found.hops;
      if (hops === 0) return singleValued((_i, env) => env.v as Json);
      return singleValued((_i, env) => lookup(env, hops).v as Json);
    }
    const name = node.name;
    if (name === 'ENV') return singleValued((_i, env) => env.ctx.envObject);
    if (name === '__prog_args' || (this.options.variables !== undefined && !this.options.variables.includes(name))) {
      throw new JqSyntaxError(`$${name} is not defined`, node.line, node.column);
    }
    return singleValued((_i, env) => {
      const g = env.ctx.globals;
      return hasKey(g, name) ? (g[name] ?? null) : null;
    });
  }

  private call(node: Node & { type: 'call' }, scope: Scope): Filter {
    const arity = node.args.length;
    const found = hopsTo(
      scope,
      (e) =>
        (e.kind === 'func' && e.name === node.name && e.arity === arity) ||
        (e.kind === 'param' && arity === 0 && e.name === node.name),
    );
    if (found !== null) {
      const hops = found.hops;
      if (found.entry.kind === 'param') {
        return {
          run: (input, env, emit) => {
            const c = lookup(env, hops).v as Closure;
            return c.filter.run(input, c.env, emit);
          },
          paths: (input, path, env, emit) => {
            const c = lookup(env, hops).v as Closure;
            return c.filter.paths(input, path, c.env, emit);
          },
        };
      }
      const holder = (found.entry as { holder: FuncHolder }).holder;
      const args = node.args.map((a) => this.compile(a, scope));
      return callUser(holder, args, (env) => lookup(env, hops));
    }
    const args = node.args.map((a) => this.compile(a, scope));
    const native = findNative(node.name, arity);
    if (native !== undefined) {
      const paths = native.paths;
      const single = native.single?.(args);
      const filter: Filter = {
        run: (input, env, emit) => native.run(input, args, env, emit),
        paths:
          paths === undefined
            ? (input, _path, env, emit) => native.run(input, args, env, (v) => emit(v, null))
            : (input, path, env, emit) => paths(input, path, args, env, emit),
      };
      if (single !== undefined) filter.single = single;
      return filter;
    }
    const def = findPrelude(node.name, arity);
    if (def !== undefined) {
      return callUser(this.preludeHolder(def), args, (env) => ({ v: null, next: null, ctx: env.ctx }));
    }
    throw new JqSyntaxError(`${node.name}/${arity} is not defined`, node.line, node.column);
  }

  private preludeHolder(def: FuncDef): FuncHolder {
    const cached = PRELUDE_CACHE.get(def);
    if (cached !== undefined) return cached;
    const holder: FuncHolder = { body: null };
    PRELUDE_CACHE.set(def, holder);
    holder.body = this.funcBody(def, ROOT_SCOPE);
    return holder;
  }

  /** A def's body in its scope: params bound as closures, `$x` params as variables too. */
  private funcBody(def: FuncDef, scope: Scope): Filter {
    let inner = scope;
    for (const p of def.params) inner = extend(inner, { kind: 'param', name: p.replace(/^\$/, '') });
    let body = def.body;
    for (let i = def.params.length - 1; i >= 0; i--) {
      const p = def.params[i] as string;
      if (!p.startsWith('$')) continue;
      const name = p.slice(1);
      body = {
        type: 'as',
        source: { type: 'call', name, args: [], line: 0, column: 0 },
        patterns: [{ type: 'var', name }],
        body,
      };
    }
    return this.compile(body, inner);
  }

  private defs(defs: readonly FuncDef[], bodyNode: Node, scope: Scope): Filter {
    let inner = scope;
    for (const def of defs) {
      const holder: FuncHolder = { body: null };
      inner = extend(inner, { kind: 'func', name: def.name, arity: def.params.length, holder });
      holder.body = this.funcBody(def, inner);
    }
    const body = this.compile(bodyNode, inner);
    const count = defs.length;
    const enter = (env: Env): Env => {
      let e = env;
      for (let i = 0; i < count; i++) e = push(e, null);
      return e;
    };
    return {
      run: (input, env, emit) => body.run(input, enter(env), emit),
      paths: (input, path, env, emit) => body.paths(input, path, enter(env), emit),
    };
  }
}

const PRELUDE_CACHE = new WeakMap<FuncDef, FuncHolder>();

function callUser(holder: FuncHolder, args: readonly Filter[], base: (env: Env) => Env): Filter {
  const bind = (env: Env): Env => {
    step(env.ctx);
    let e = base(env);
    for (const a of args) e = push(e, { filter: a, env } satisfies Closure);
    return e;
  };
  return {
    run: (input, env, emit) => (holder.body as Filter).run(input, bind(env), emit),
    paths: (input, path, env, emit) => (holder.body as Filter).paths(input, path, bind(env), emit),
  };
}
