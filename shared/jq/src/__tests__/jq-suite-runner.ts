import { createHash } from 'node:crypto';
import { compileJq, JqRuntimeError, JqSyntaxError } from '../index';
import type { Json } from '../value';
import { toJson } from '../value';
import { parseJson } from '../json';
import type { JqTestCase } from './jq-test-format';

export type CaseResult = { ok: true } | { ok: false; detail: string };

/** A case's identity for the skip list: file, line and a hash of the program (never its text). */
export function caseId(c: JqTestCase): string {
  const hash = createHash('sha1').update(c.program).digest('hex').slice(0, 8);
  return `${c.file}:${c.line}:${hash}`;
}

/** Structural equality as jq's test harness sees it: object key order does not matter. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const bo = b as Record<string, unknown>;
  const ao = a as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(ao[k], bo[k]));
}

/** What jq would print, read back: infinities become the largest double, nan null. */
function normalise(v: Json): unknown {
  return JSON.parse(toJson(v));
}

export function runCase(c: JqTestCase): CaseResult {
  if (c.fail) {
    try {
      compileJq(c.program, { variables: [] });
    } catch (e) {
      if (e instanceof JqSyntaxError) return { ok: true };
      return { ok: false, detail: `compile threw a non-syntax error: ${String(e)}` };
    }
    return { ok: false, detail: 'compiled, but jq rejects this program' };
  }
  // jq's harness compares the expected outputs one by one; an error after the last of them is
  // not a failure (it only checks that no superfluous value follows).
  const outputs: Json[] = [];
  let error: string | null = null;
  try {
    // jq's harness reads inputs with jq's own JSON reader (NaN, Infinity, byte order mark).
    const input = parseJson(c.input);
    compileJq(c.program, { variables: [] }).each(input, (v) => (outputs.push(v), true), { maxSteps: 2_000_000 });
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    if (!(e instanceof JqRuntimeError)) return { ok: false, detail: `threw ${error}` };
  }
  let expected: unknown[];
  try {
    expected = c.expected.map((t) => JSON.parse(t) as unknown);
  } catch {
    return { ok: false, detail: 'expected output is not JSON this runner can read' };
  }
  const got = outputs.map(normalise);
  if (got.length === expected.length && got.every((g, i) => same(g, expected[i]))) return { ok: true };
  const failure = error === null ? '' : ` then threw ${error}`;
  return { ok: false, detail: `got ${JSON.stringify(got)}${failure}, expected ${JSON.stringify(expected)}` };
}
