import fc from 'fast-check';
import type { Jq } from 'jq-wasm';
import { loadJq } from 'jq-wasm';
import { compileJq } from '../index';
import type { Json } from '../value';
import { toJson } from '../value';

/**
 * Differential property test: random programs from a small jq grammar on random JSON inputs,
 * compared with the reference jq 1.8.2 compiled to WebAssembly. Outputs must be equal (as JSON
 * values), or both engines must fail.
 */
const RUNS = 3000;

const field = fc.constantFrom('a', 'b', 'c');
const literal = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom('null', 'true', 'false', '"x"', '"ab"', '[]', '{}', '[1,2]', '{"a":1}'),
);

const program: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant('.'),
    literal,
    field.map((f) => `.${f}`),
    field.map((f) => `.${f}?`),
    fc.constant('.[]?'),
    fc.constant('.[0]?'),
    fc.constantFrom('keys', 'length', 'type', 'tostring', 'tojson', 'add', 'sort', 'to_entries', 'not', 'reverse'),
    fc.constantFrom('[.[]?]', 'map(.)?', 'paths?', '[paths]?', 'flatten?', 'unique?', 'min?', 'max?'),
    fc.constantFrom('[..]', '[tostream]', 'to_entries?|from_entries', 'any', 'all', '.[1:]', '.[:-1]'),
    fc.constantFrom('ascii_downcase', 'ascii_upcase', 'explode', '@base64', '@html', '@csv', '@sh', '@uri', '@text'),
    fc.constantFrom('"\\(.)"', '"a\\(.a?)b"', 'tojson|fromjson', 'utf8bytelength', 'abs', 'not'),
    fc.constantFrom('[range(3)]', '[range(0;10;3)]', 'splits("a")?', 'test("a")', 'ltrimstr("a")', 'join(",")'),
    fc.constantFrom('del(.[0])', 'del(.a)', 'getpath(["a","b"])', 'walk(.)', '[.[]?|numbers]', 'indices(1)'),
    fc.constantFrom('contains("a")', 'contains([1])', 'contains({})', 'inside([1,2])', 'sub("a";"b")', 'any(.>1)'),
    fc.constantFrom('label $f | (1, break $f, 2)', '. as [$a, $b] | [$b, $a]', '. as {a: $x} | $x'),
    fc.constantFrom('[foreach .[]? as $x (0; . + 1)]', 'with_entries(.key |= ascii_upcase)', 'add', '@json'),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} | ${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}, ${b})`),
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>=', 'and', 'or', '//'), tie('e'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(field, tie('e')).map(([f, v]) => `{${f}: ${v}}`),
    tie('e').map((a) => `[${a}]`),
    tie('e').map((a) => `try ${a}`),
    tie('e').map((a) => `(${a})?`),
    tie('e').map((a) => `map(${a})?`),
    tie('e').map((a) => `select(${a})`),
    tie('e').map((a) => `has(${a})?`),
    tie('e').map((a) => `[.[]? | ${a}]`),
    tie('e').map((a) => `sort_by(${a})?`),
    tie('e').map((a) => `group_by(${a})?`),
    tie('e').map((a) => `reduce .[]? as $x (0; . + ($x | ${a}))`),
    tie('e').map((a) => `(${a}) as $v | [$v, .]`),
    tie('e').map((a) => `[limit(2; ${a})]`),
    tie('e').map((a) => `first(${a})`),
    tie('e').map((a) => `with_entries(.value |= ${a})?`),
    fc.tuple(field, tie('e')).map(([f, v]) => `(.${f} |= ${v})?`),
    fc.tuple(field, tie('e')).map(([f, v]) => `(.${f} = ${v})?`),
    fc.tuple(field, tie('e')).map(([f, v]) => `(.${f} += ${v})?`),
    fc.tuple(field).map(([f]) => `del(.${f})?`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `if ${c} then ${a} else ${b} end`),
    tie('e').map((a) => `(${a} | tostring | length)`),
  ),
})).e;

const json: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('x', 'ab', ''),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('v'), { maxKeys: 3 }),
  ),
})).v;

type Outcome = { ok: true; values: unknown[] } | { ok: false; message: string };

function ours(prog: string, input: Json): Outcome {
  try {
    return {
      ok: true,
      values: compileJq(prog)
        .all(input, { maxSteps: 100_000 })
        .map((v) => JSON.parse(toJson(v)) as unknown),
    };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function reference(jq: Jq, prog: string, input: Json): Outcome {
  try {
    // jq-wasm reads a string input as JSON text, so the input is always passed serialised.
    return { ok: true, values: jq.json(JSON.stringify(input), prog, ['-c']) };
  } catch (e) {
    const stderr = (e as { stderr?: unknown }).stderr;
    return { ok: false, message: typeof stderr === 'string' ? stderr : String(e) };
  }
}

describe('differential: @wormhole/jq against jq 1.8.2 (jq-wasm)', () => {
  let jq: Jq;
  beforeAll(async () => {
    jq = await loadJq();
  });

  it(`agrees on ${RUNS} random programs and inputs`, () => {
    let compared = 0;
    const messages: [string, string, string][] = [];
    fc.assert(
      fc.property(program, json, (prog, input) => {
        const a = ours(prog, input);
        const b = reference(jq, prog, input);
        compared++;
        if (a.ok !== b.ok) return false;
        if (!a.ok || !b.ok) {
          // Compile errors are worded differently (bison's "expecting …"); runtime errors are compared.
          if (!a.ok && !b.ok && !b.message.includes('compile error')) {
            messages.push([prog, a.message, b.message]);
            // jq's stderr is "jq: error (at <input>): <message>": the message itself must match.
            expect(b.message).toContain(a.message);
          }
          return true;
        }
        // Object key order is not significant in jq's comparison; toEqual ignores it too.
        expect(a.values).toEqual(b.values);
        return true;
      }),
      { numRuns: RUNS, seed: Number(process.env.JQ_DIFF_SEED ?? 20261124) },
    );
    const sameMessage = messages.filter(([, ours, ref]) => ref.includes(ours)).length;
    console.log(
      `differential: ${compared} programs compared with jq-wasm; ${messages.length} failed in both, ` +
        `${sameMessage} of them with the same message`,
    );
    if (process.env.JQ_DIFF_VERBOSE === '1') {
      const seen = new Set<string>();
      for (const m of messages.filter(([, ours, ref]) => !ref.includes(ours))) {
        if (!seen.has(m[1].slice(0, 20))) console.log(m);
        seen.add(m[1].slice(0, 20));
      }
    }
  }, 120_000);
});
