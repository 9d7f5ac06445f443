import type { Node, Pattern } from './ast';
import { index } from './ops';
import type { Env, Filter } from './runtime';
import { push } from './runtime';
import { JqSyntaxError } from './errors';
import { describe } from './value';
import type { Json } from './value';

/** A destructuring pattern, compiled: the names it binds (in env order) and the binder. */
export interface CompiledPattern {
  readonly names: readonly string[];
  /** Binds `value`; calls `body` with the extended env once per binding (key expressions may generate several). */
  bind(value: Json, input: Json, env: Env, body: (env: Env) => boolean): boolean;
}

type Step =
  | { kind: 'var'; slot: number }
  | { kind: 'array'; items: Step[] }
  | { kind: 'object'; entries: { key: Filter; slot: number; value: Step | null }[] };

export function patternNames(patterns: readonly Pattern[]): string[] {
  const names: string[] = [];
  const visit = (p: Pattern): void => {
    if (p.type === 'var') {
      if (!names.includes(p.name)) names.push(p.name);
    } else if (p.type === 'array') p.items.forEach(visit);
    else {
      for (const e of p.entries) {
        if (e.keyVar !== undefined && !names.includes(e.keyVar)) names.push(e.keyVar);
        if (e.value !== undefined) visit(e.value);
      }
    }
  };
  patterns.forEach(visit);
  return names;
}

/**
 * Compiles one pattern binding `names`; `compileKey` compiles `(expr)` keys in the scope that
 * already holds every name (jq lets a key expression see variables bound earlier in the pattern).
 */
export function compilePattern(
  pattern: Pattern,
  names: readonly string[],
  compileKey: (node: Node) => Filter,
): CompiledPattern {
  const build = (p: Pattern): Step => {
    if (p.type === 'var') return { kind: 'var', slot: names.indexOf(p.name) };
    if (p.type === 'array') return { kind: 'array', items: p.items.map(build) };
    return {
      kind: 'object',
      entries: p.entries.map((e) => ({
        key: compileKey(e.key),
        slot: e.keyVar === undefined ? -1 : names.indexOf(e.keyVar),
        value: e.value === undefined ? null : build(e.value),
      })),
    };
  };
  const root = build(pattern);
  for (const p of [pattern]) checkConstantKeys(p);
  return {
    names,
    bind(value, input, env, body) {
      const vals: Json[] = names.map(() => null);
      const extend = (): Env => {
        let e = env;
        for (const v of vals) e = push(e, v);
        return e;
      };
      const go = (s: Step, v: Json, k: () => boolean): boolean => {
        if (s.kind === 'var') {
          vals[s.slot] = v;
          return k();
        }
        if (s.kind === 'array') {
          // jq binds array elements last first (so an error names the last index).
          const seq = (i: number): boolean => {
            const item = s.items[i];
            return item === undefined ? k() : go(item, index(v, i), () => seq(i - 1));
          };
          return seq(s.items.length - 1);
        }
        const seq = (i: number): boolean => {
          const entry = s.entries[i];
          if (entry === undefined) return k();
          return entry.key.run(input, extend(), (key) => {
            const field = index(v, key);
            if (entry.slot >= 0) vals[entry.slot] = field;
            return entry.value === null ? seq(i + 1) : go(entry.value, field, () => seq(i + 1));
          });
        };
        return seq(0);
      };
      return go(root, value, () => body(extend()));
    },
  };
}

/** jq rejects a constant non-string key in an object pattern when compiling. */
function checkConstantKeys(p: Pattern): void {
  if (p.type === 'array') p.items.forEach(checkConstantKeys);
  if (p.type !== 'object') return;
  for (const e of p.entries) {
    if (e.key.type === 'literal' && typeof e.key.value !== 'string') {
      throw new JqSyntaxError(`Cannot use ${describe(e.key.value)} as object key`, 1, 1);
    }
    if (e.value !== undefined) checkConstantKeys(e.value);
  }
}
