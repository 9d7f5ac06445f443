import { defineNative } from '../registry';
import type { Env, Filter } from '../runtime';
import { fail } from '../runtime';
import type { Json, JsonObject } from '../value';
import { describe, setKey } from '../value';

/**
 * jq's regexes are Oniguruma (Perl/Ruby syntax); these run on JavaScript's engine with the `u`
 * flag, which shares the common syntax (classes, groups, `(?<name>)`, lookaround, lazy
 * quantifiers). Oniguruma-only constructs (possessive quantifiers, `\h`, `(?i)` inline options,
 * conditionals) are not supported and fail to compile.
 */
interface Compiled {
  readonly re: RegExp;
  readonly global: boolean;
  readonly skipEmpty: boolean;
  readonly names: (string | null)[];
}

const CACHE = new Map<string, Compiled>();

/** Capture group names in order (null for unnamed groups), read from the pattern text. */
function groupNames(src: string): (string | null)[] {
  const names: (string | null)[] = [];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      if (src[i + 1] !== '?') names.push(null);
      else {
        const m = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i));
        if (m !== null) names.push(m[1] ?? null);
      }
    }
  }
  return names;
}

function stripExtended(src: string): string {
  // `x` flag: unescaped whitespace and `#` comments outside classes are not part of the pattern.
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

export function compileRegex(pattern: Json, flags: Json): Compiled {
  if (typeof pattern !== 'string') return fail(`${describe(pattern)} cannot be matched, as it is not a string`);
  if (flags !== null && typeof flags !== 'string') return fail(`${describe(flags)} is not a string`);
  const key = `${flags ?? ''}/${pattern}`;
  const cached = CACHE.get(key);
  if (cached !== undefined) return cached;
  let js = 'gu';
  let global = false;
  let skipEmpty = false;
  let src = pattern;
  let multiline = true;
  for (const f of flags ?? '') {
    if (f === 'g') global = true;
    else if (f === 'i') js += 'i';
    else if (f === 'x') src = stripExtended(src);
    else if (f === 'n') skipEmpty = true;
    else if (f === 's') multiline = false;
    else if (f === 'p') {
      js += 's';
      multiline = false;
    } else if (f !== 'l') return fail(`${flags as string} is not a valid modifier string`);
  }
  // Oniguruma's Ruby syntax anchors ^ and $ at line boundaries unless single-line mode is asked for.
  if (multiline) js += 'm';
  let re: RegExp;
  try {
    re = new RegExp(src, js + 'd');
  } catch (e) {
    return fail(`${pattern} (at offset 0) is not a valid regex: ${e instanceof Error ? e.message : String(e)}`);
  }
  const compiled = { re, global, skipEmpty, names: groupNames(src) };
  if (CACHE.size > 500) CACHE.clear();
  CACHE.set(key, compiled);
  return compiled;
}

/** UTF-16 offset to codepoint offset (jq reports codepoints). */
function cpOffset(s: string, i: number): number {
  let n = 0;
  for (let j = 0; j < i; j++) {
    const c = s.charCodeAt(j);
    if (c >= 0xd800 && c <= 0xdbff && j + 1 < i) j++;
    n++;
  }
  return n;
}

function cpLength(s: string): number {
  return cpOffset(s, s.length);
}

export function matches(input: Json, pattern: Json, flags: Json, forceGlobal = false): JsonObject[] {
  if (typeof input !== 'string') return fail(`${describe(input)} cannot be matched, as it is not a string`);
  const { re, global, skipEmpty, names } = compileRegex(pattern, flags);
  const out: JsonObject[] = [];
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(input);
    if (m === null) break;
    if (m[0] === '') re.lastIndex = m.index + ((input.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
    if (!(skipEmpty && m[0] === '')) out.push(matchObject(input, m, names));
    if (!(global || forceGlobal) || m.index >= input.length) break;
  }
  return out;
}

function matchObject(input: string, m: RegExpExecArray, names: (string | null)[]): JsonObject {
  const captures: Json[] = [];
  for (let g = 1; g < m.length; g++) {
    const span = m.indices?.[g];
    const text = m[g];
    const name = names[g - 1] ?? null;
    if (span === undefined || text === undefined) {
      captures.push({ offset: -1, length: 0, string: null, name });
    } else {
      captures.push({ offset: cpOffset(input, span[0]), length: cpLength(text), string: text, name });
    }
  }
  return { offset: cpOffset(input, m.index), length: cpLength(m[0]), string: m[0], captures };
}

function captureObject(m: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const c of m.captures as JsonObject[]) {
    if (typeof c.name === 'string') setKey(out, c.name, c.string ?? null);
  }
  return out;
}

/** `f(re)`, `f(re; flags)` and `f([re, flags])`: the regex builtins' argument conventions. */
function regexArgs(args: readonly Filter[], input: Json, env: Env, k: (re: Json, flags: Json) => boolean): boolean {
  const [reArg, flagArg] = args as [Filter, Filter | undefined];
  return reArg.run(input, env, (re) => {
    if (flagArg === undefined) {
      if (Array.isArray(re)) return k(re[0] ?? null, re[1] ?? null);
      return k(re, null);
    }
    return flagArg.run(input, env, (flags) => k(re, flags));
  });
}

function defineRegex(
  name: string,
  arities: number[],
  body: (input: Json, re: Json, flags: Json, emit: (v: Json) => boolean) => boolean,
): void {
  for (const arity of arities) {
    defineNative(name, arity, {
      run: (input, args, env, emit) => regexArgs(args, input, env, (re, flags) => body(input, re, flags, emit)),
    });
  }
}

defineRegex('test', [1, 2], (input, re, flags, emit) => emit(matches(input, re, flags).length > 0));
defineRegex('match', [1, 2], (input, re, flags, emit) => {
  for (const m of matches(input, re, flags)) if (!emit(m)) return false;
  return true;
});
defineRegex('capture', [2], (input, re, flags, emit) => {
  for (const m of matches(input, re, flags)) if (!emit(captureObject(m))) return false;
  return true;
});
defineRegex('scan', [2], (input, re, flags, emit) => {
  for (const m of matches(input, re, flags, true)) {
    const caps = m.captures as JsonObject[];
    if (!emit(caps.length === 0 ? (m.string ?? null) : caps.map((c) => c.string ?? null))) return false;
  }
  return true;
});
defineRegex('split', [2], (input, re, flags, emit) => {
  if (typeof input !== 'string') return fail(`${describe(input)} cannot be matched, as it is not a string`);
  const cps = Array.from(input);
  const parts: Json[] = [];
  let prev = 0;
  for (const m of matches(input, re, flags, true)) {
    const off = m.offset as number;
    parts.push(cps.slice(prev, off).join(''));
    prev = off + (m.length as number);
  }
  parts.push(cps.slice(prev).join(''));
  return emit(parts);
});

defineNative('sub', 3, {
  run: (input, args, env, emit) =>
    (args[0] as Filter).run(input, env, (re) =>
      (args[2] as Filter).run(input, env, (flags) => {
        if (typeof input !== 'string') return fail(`${describe(input)} cannot be matched, as it is not a string`);
        const cps = Array.from(input);
        // Replacement may yield several strings: the k-th output of every match builds the k-th result.
        const results: string[] = [];
        let previous = 0;
        for (const m of matches(input, re, flags)) {
          const off = m.offset as number;
          const gap = cps.slice(previous, off).join('');
          let k = 0;
          (args[1] as Filter).run(captureObject(m), env, (rep) => {
            if (typeof rep !== 'string') return fail(`${describe(gap)} and ${describe(rep)} cannot be added`);
            results[k] = (results[k] ?? '') + gap + rep;
            k++;
            return true;
          });
          previous = off + (m.length as number);
        }
        if (results.length === 0) return emit(input);
        const tail = cps.slice(previous).join('');
        for (const r of results) if (!emit(r + tail)) return false;
        return true;
      }),
    ),
});
