import type { FuncDef, Node } from './ast';
import { parse } from './parser';

/**
 * Builtins written in jq itself: the ones that must work as path expressions (`select`,
 * `recurse`, `paths`…) or are plain compositions. Written for this engine, not copied from jq.
 * Everything hot or value-only is native TypeScript (see builtins/).
 */
const SOURCE = `
def recurse(f): def r: ., (f | r); r;
def recurse(f; cond): def r: ., (f | select(cond) | r); r;
def values: select(. != null);
def nulls: select(. == null);
def booleans: select(type == "boolean");
def numbers: select(type == "number");
def strings: select(type == "string");
def arrays: select(type == "array");
def objects: select(type == "object");
def iterables: select(type == "array" or type == "object");
def scalars: select(type != "array" and type != "object");
def isfinite: type == "number" and (isinfinite | not);
def finites: select(isfinite);
def normals: select(isnormal);
def map_values(f): .[] |= f;
def add(f): reduce f as $x (null; . + $x);
def del(f): delpaths([path(f)]);
def to_entries: [keys_unsorted[] as $k | {key: $k, value: .[$k]}];
def from_entries: reduce .[] as $e ({};
  . + {($e | .key // .Key // .name // .Name): ($e | if has("value") then .value else .Value end)});
def with_entries(f): to_entries | map(f) | from_entries;
def paths: path(..) | select(length > 0);
def paths(node_filter): path(.. | select(node_filter)) | select(length > 0);
def leaf_paths: paths(scalars);
def pick(pathexps): . as $top | reduce path(pathexps) as $p (null; setpath($p; $top | getpath($p)));
def isvalid(f): try (f | true) catch false;
def in(xs): . as $x | xs | has($x);
def inside(xs): . as $x | xs | contains($x);
def combinations: if length == 0 then [] else .[0][] as $x | [$x] + (.[1:] | combinations) end;
def combinations(n): [limit(n; repeat(.))] | combinations;
def walk(f): def w: if type == "object" then map_values(w) elif type == "array" then map(w) else . end | f; w;
def first: .[0];
def last: .[-1];
def nth($n): .[$n];
def nth($n; f): if $n < 0 then error("nth doesn't support negative indices") else first(skip($n; f)) end;
def until(cond; update): def u: if cond then . else (update | u) end; u;
def while(cond; update): def w: if cond then ., (update | w) else empty end; w;
def todateiso8601: strftime("%Y-%m-%dT%H:%M:%SZ");
def fromdateiso8601: strptime("%Y-%m-%dT%H:%M:%SZ") | mktime;
def todate: todateiso8601;
def fromdate: fromdateiso8601;
def date: todate;
def dateadd(u; n): . + n;
def datesub(u; n): . - n;
def datesub(u): . - u;
def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row | idx_expr | tostring] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def JOIN($idx; idx_expr): [.[] | [., $idx[idx_expr]]];
def JOIN($idx; stream; idx_expr): stream | [., $idx[idx_expr]];
def JOIN($idx; stream; idx_expr; join_expr): stream | [., $idx[idx_expr]] | join_expr;
def ascii: [.] | implode;
def env: $ENV;
def halt_error: halt_error(5);
def capture(re): capture(re; null);
def scan(re): scan(re; null);
def splits($re): splits($re; null);
def splits($re; flags): split($re; flags) | .[];
def sub(re; str): sub(re; str; "");
def gsub(re; str): sub(re; str; "g");
def gsub(re; str; flags): sub(re; str; flags + "g");
def toboolean: if . == "true" or . == true then true elif . == "false" or . == false then false
  else error("\\(type) (\\(tojson)) cannot be parsed as a boolean") end;
def have_literal_numbers: true;
def have_decnum: false;
def input_filename: null;
def get_search_list: [];
def trimstr($s): ltrimstr($s) | rtrimstr($s);
def debug(msg): (msg | debug | empty), .;
`;

let table: Map<string, FuncDef> | null = null;

function load(): Map<string, FuncDef> {
  const map = new Map<string, FuncDef>();
  let node: Node = parse(SOURCE + ' .');
  while (node.type === 'defs') {
    for (const def of node.defs) map.set(`${def.name}/${def.params.length}`, def);
    node = node.body;
  }
  return map;
}

export function findPrelude(name: string, arity: number): FuncDef | undefined {
  table ??= load();
  return table.get(`${name}/${arity}`);
}

export function preludeNames(): string[] {
  table ??= load();
  return [...table.keys()];
}
