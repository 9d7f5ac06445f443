import type { Json } from './value';

/** Binary operators evaluated on values (both sides evaluated, right side outermost, as in jq). */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=';
export type AssignOp = '=' | '|=' | '+=' | '-=' | '*=' | '/=' | '%=' | '//=';

/** A destructuring pattern of `… as $x`, `… as [$a, {b: $c}]`. */
export type Pattern =
  | { type: 'var'; name: string }
  | { type: 'array'; items: Pattern[] }
  | { type: 'object'; entries: { key: Node; keyVar?: string; value?: Pattern }[] };

export interface FuncDef {
  name: string;
  params: string[]; // `$x` params keep their `$`
  body: Node;
}

export type StrFragment = string | Node;

export type Node =
  | { type: 'identity' }
  | { type: 'recurse' }
  | { type: 'literal'; value: Json }
  | { type: 'string'; parts: StrFragment[]; format?: string }
  | { type: 'format'; name: string }
  | { type: 'index'; target: Node; key: Node }
  | { type: 'slice'; target: Node; from?: Node; to?: Node }
  | { type: 'iterate'; target: Node }
  | { type: 'try'; body: Node; handler?: Node }
  | { type: 'neg'; operand: Node }
  | { type: 'array'; body?: Node }
  | { type: 'object'; entries: { key: Node; value: Node }[] }
  | { type: 'pipe'; left: Node; right: Node }
  | { type: 'comma'; left: Node; right: Node }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node }
  | { type: 'and'; left: Node; right: Node }
  | { type: 'or'; left: Node; right: Node }
  | { type: 'alt'; left: Node; right: Node }
  | { type: 'assign'; op: AssignOp; left: Node; right: Node }
  | { type: 'if'; cond: Node; then: Node; else?: Node }
  | { type: 'reduce'; source: Node; pattern: Pattern; init: Node; update: Node }
  | { type: 'foreach'; source: Node; pattern: Pattern; init: Node; update: Node; extract?: Node }
  | { type: 'as'; source: Node; patterns: Pattern[]; body: Node }
  | { type: 'var'; name: string; line: number; column: number }
  | { type: 'loc'; line: number }
  | { type: 'call'; name: string; args: Node[]; line: number; column: number }
  | { type: 'defs'; defs: FuncDef[]; body: Node }
  | { type: 'label'; name: string; body: Node }
  | { type: 'break'; name: string; line: number; column: number };
