import type { Jq } from 'jq-wasm';
import { loadJq } from 'jq-wasm';
import { compileJq } from '../index';
import type { Json } from '../value';
import { toJson } from '../value';

/**
 * Hand-picked programs of the kind workflows and jq users write, compared with jq 1.8.2
 * (jq-wasm): same outputs, or the same runtime error.
 */
const DOC: Json = {
  a: 1,
  b: [1, 2, { c: null, d: 'x' }],
  pets: [
    { name: 'rex', age: 3, tags: ['dog'] },
    { name: 'tom', age: 1, tags: [] },
    { name: 'kit', age: 5, tags: ['cat', 'old'] },
  ],
  s: 'Hello, World',
  n: null,
};

const PROGRAMS = [
  '(.. | numbers) |= . + 1',
  '[paths]',
  '[paths(type == "number")]',
  '[getpath(paths)] | length',
  'del(.. | nulls)',
  'to_entries | map(select(.value | type == "number")) | from_entries',
  'with_entries(.key |= ascii_upcase)',
  '[.pets[] | {name, old: (.age > 2)}]',
  '.pets | group_by(.age > 2) | map(map(.name))',
  '.pets | sort_by(-.age) | map(.name) | join(", ")',
  '.pets | map(.tags | length) | add / length',
  '[.pets[] | select(.tags | index("cat"))] | length',
  '.pets | INDEX(.name) | keys',
  'reduce .pets[] as {name: $n, age: $a} ({}; .[$n] = $a)',
  '[foreach .pets[] as $p (0; . + $p.age; [$p.name, .])]',
  '[limit(2; .pets[].name)]',
  'first(.pets[] | select(.age > 10)) // "none"',
  '.b[2] |= with_entries(select(.value != null))',
  '(.a, .n) = 7',
  '.pets[1:] |= map(.name)',
  '.b as [$x, $y, {d: $z}] | [$x, $y, $z]',
  'def addvalue(f): f as $x | map(. + $x); .b[:2] | addvalue(.[0])',
  '[recurse(if . < 3 then . + 1 else empty end)] | length',
  '[1 | while(. < 100; . * 2)]',
  '[.b[:2][] | until(. > 100; . * 3)]',
  '.s | [ascii_downcase, ascii_upcase, length, (split(", ") | reverse | join(" "))]',
  '.s | [test("world"; "i"), [match("o"; "g").offset], sub("(?<w>W\\\\w+)"; "<\\(.w)>")]',
  '.s | [scan("[A-Z]")], [splits(", ")], gsub("l"; "L")',
  '.s | @base64, (@base64 | @base64d), @uri, @html, @sh, @json',
  '[.pets[] | [.name, .age]] | map(@csv), map(@tsv)',
  '"\\(.a) and \\(.b[2].d) \\(.n)"',
  '.pets | map(.age) | [min, max, add, (sort | .[length / 2 | floor])]',
  '[.pets[].tags[]] | unique',
  '.pets | any(.age > 4), all(.age > 0), (map(.name) | contains(["re"]))',
  '[.[] | type]',
  'keys, keys_unsorted, length',
  'tostream | select(length == 2) | .[0] | join(".")?',
  'fromstream(tostream) == .',
  '[tostream] | length',
  'to_entries | length',
  '[splits("a")]?',
  'getpath(["pets", 0, "name"]), getpath(["x", "y"])',
  'setpath(["x", 1]; true) | .x',
  'delpaths([["pets"], ["b", 0]])',
  'pick(.pets[0].name)',
  'walk(if type == "array" then sort else . end) | .b',
  '[.pets[] | .age] | [.[] | . * 1.5 | floor]',
  '[range(0; 10; 3)], [range(5; 0; -2)]',
  '.pets | map(.name | explode | map(. + 1) | implode)',
  '[.pets[] | .name | ltrimstr("r") | rtrimstr("t")]',
  'try error("custom") catch .',
  'try (.pets | .foo) catch .',
  'try (.s | tonumber) catch .',
  '[.pets[] | .age | tostring | tonumber]',
  '.a as $x | [$x, $__loc__.line]',
  'label $out | .pets[] | if .age > 2 then ., break $out else empty end',
  '[.pets[] | (.age | if . > 4 then "old" elif . > 2 then "mid" else "young" end)]',
  'input_line_number, ($ENV | type), (now | type)',
  '.b | flatten, (map(arrays) | length)',
  '.pets | transpose? // "no"',
  '[.pets[].tags] | transpose',
  'splits("x")?',
  '@text "v=\\(.a)", @json "v=\\(.b)"',
  '.pets | (first, last, nth(1)) | .name',
  '[.pets[] | has("tags"), has("nope")]',
  '[.b[] | numbers, strings, objects, iterables, scalars | type]',
  'getpath(["b", 2, "d"]) |= ascii_upcase',
  '.pets[] |= del(.tags)',
  '.pets |= map(select(.age != 1))',
  '(.pets[] | select(.name == "tom") | .age) += 10',
  '.n //= "default" | .n',
  '[.pets[] | .age] | sort | bsearch(3)',
  '[.pets[] | .name] | combinations(1)?',
  '[[1, 2], [3, 4]] | [combinations]',
  '[.pets[].age] | IN(.[]; 5, 6)',
  'significand?, (.a | significand), (8 | logb), (10 | lgamma | floor)',
  '[1, 2.5, -3.7] | map(round), map(ceil), map(fabs)',
  '[pow(2; 10), log10, (100 | sqrt), (2 | exp | floor)]?',
  '"2015-03-05T23:51:47Z" | fromdate | [todate, (gmtime | mktime), strftime("%A %B %d %Y")]',
  '"10:20 PM, 5 March 2015" | strptime("%H:%M %p, %d %B %Y") | mktime',
  '"10:20 PM, 5 March 2015" | strptime("%I:%M %p, %d %B %Y") | mktime',
  '[.[] | tojson | length]',
  'tojson | fromjson == .',
  '@json | fromjson | .pets | length',
  '{(.s): 1, "\\(.a)": 2, $__loc__}',
  '[.pets[] | {(.name): .age}] | add',
  '.pets | map({(.name): .tags}) | add | to_entries | map("\\(.key)=\\(.value | length)") | join("&")',
];

type Outcome = { ok: true; values: unknown[] } | { ok: false; message: string };

describe('differential: typical programs against jq 1.8.2 (jq-wasm)', () => {
  let jq: Jq;
  beforeAll(async () => {
    jq = await loadJq();
  });

  it.each(PROGRAMS)('%s', (program) => {
    let a: Outcome;
    try {
      a = {
        ok: true,
        values: compileJq(program)
          .all(DOC)
          .map((v) => JSON.parse(toJson(v)) as unknown),
      };
    } catch (e) {
      a = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    let b: Outcome;
    try {
      b = { ok: true, values: jq.json(JSON.stringify(DOC), program, ['-c']) };
    } catch (e) {
      const stderr = (e as { stderr?: unknown }).stderr;
      b = { ok: false, message: typeof stderr === 'string' ? stderr : String(e) };
    }
    if (a.ok && b.ok) expect(a.values).toEqual(b.values);
    else if (!a.ok && !b.ok) expect(b.message).toContain(a.message);
    else expect(a).toEqual(b);
  });
});
