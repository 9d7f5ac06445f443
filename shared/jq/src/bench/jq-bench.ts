// Throughput of @wormhole/jq against the reference jq 1.8.2 in WebAssembly, in one run.
// Run: node --import tsx shared/jq/src/bench/jq-bench.ts
import { loadJq } from 'jq-wasm';
import type { Json } from '../index';
import { compileJq } from '../index';

interface Case {
  readonly name: string;
  readonly program: string;
  readonly input: Json;
  readonly vars: Readonly<Record<string, Json>>;
}

const pets: Json = {
  pets: Array.from({ length: 100 }, (_, i) => ({ name: `pet${i}`, age: i % 7, tags: ['a', 'b'] })),
};
const CASES: Case[] = [
  { name: '`.a`', program: '.a', input: { a: 1, b: 2 }, vars: {} },
  {
    name: '`.pets | map(select(.age > 2) | .name)`, 100 items',
    program: '.pets | map(select(.age > 2) | .name)',
    input: pets,
    vars: {},
  },
  {
    name: '`$input.x + $context.y * ($workflow.z | length)`',
    program: '$input.x + $context.y * ($workflow.z | length)',
    input: null,
    vars: { input: { x: 1 }, context: { y: 2 }, workflow: { z: [1, 2, 3] } },
  },
];

/** Calls per second of `f`, measured for about `ms` milliseconds after a warm-up. */
function opsPerSecond(f: () => void, ms: number): number {
  for (let i = 0; i < 200; i++) f();
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) f();
    n += 50;
    now = process.hrtime.bigint();
  }
  return (n * 1e9) / Number(now - start);
}

async function main(): Promise<void> {
  const jq = await loadJq();
  const rows: string[] = ['| expression | @wormhole/jq ops/s | jq-wasm ops/s | ratio |', '|---|---:|---:|---:|'];
  for (const c of CASES) {
    // The DSL's way to call jq-wasm: input and bound variables serialised per call.
    const flags = Object.entries(c.vars).flatMap(([k, v]) => ['--argjson', k, JSON.stringify(v)]);
    const wasm = opsPerSecond(() => {
      jq.json(JSON.stringify(c.input), c.program, flags);
    }, 2000);
    // Ours as a host uses it: compileJq (its LRU cache makes this a lookup) then a run.
    const native = opsPerSecond(() => {
      compileJq(c.program).all(c.input, { vars: c.vars });
    }, 2000);
    rows.push(
      `| ${c.name.replace(/\|/g, '\\|')} | ${Math.round(native).toLocaleString('en')} | ${Math.round(wasm).toLocaleString('en')} | ${(native / wasm).toFixed(0)}× |`,
    );
  }
  console.log(rows.join('\n'));
}

void main();
