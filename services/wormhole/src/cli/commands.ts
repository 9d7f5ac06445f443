import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { ApiClient } from './api-client';
import type { ParsedArgs } from './args';
import { UsageError, stringFlag } from './args';
import type { Output } from './output';
import { table } from './output';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, apiError: 1, usage: 2, runFailed: 3 } as const;

interface Workflow {
  id: string;
  name: string;
  version: number;
  state: string;
  tags: string[];
  updated_at: string;
}
interface Execution {
  id: string;
  workflow_id: string;
  status: string;
  started_at: string;
  completed_at?: string;
  duration_ms?: number;
  output?: unknown;
  error?: { type: string; status: number; title?: string; detail?: string };
  current_task?: string;
}
interface Page<T> {
  items: T[];
  pagination?: { total: number };
}

const TERMINAL = new Set(['completed', 'faulted', 'cancelled']);

export type Command = (client: ApiClient, args: ParsedArgs, io: Output) => Promise<number>;

/** `apply -f file`: creates the workflow, or a new version when one with the same name exists. */
export const apply: Command = async (client, args, io) => {
  const file = stringFlag(args, 'f', 'file') ?? args.positional[1];
  if (!file) throw new UsageError('apply needs -f <file.yaml|file.json>');
  const text = await readFile(file, 'utf8');
  const isJson = /\.json$/i.test(file) || text.trimStart().startsWith('{');
  const contentType = isJson ? 'application/json' : 'application/yaml';
  const { definition, name } = readDocument(text);
  const existing = name
    ? (await client.request<Page<Workflow>>('GET', `/workflows?name=${encodeURIComponent(name)}&limit=100`)).items.find(
        (w) => w.name === name,
      )
    : undefined;
  const workflow = existing
    ? await client.request<Workflow>('PUT', `/workflows/${existing.id}`, { definition })
    : await client.request<Workflow>('POST', '/workflows', text, contentType);
  if (io.json) io.out(JSON.stringify(workflow));
  else io.out(`${existing ? 'updated' : 'created'} ${workflow.id} ${workflow.name} (version ${workflow.version})`);
  return EXIT.ok;
};

export const list: Command = async (client, args, io) => {
  const query = new URLSearchParams({ limit: stringFlag(args, 'limit') ?? '50' });
  for (const key of ['tags', 'search', 'name', 'status']) {
    const value = stringFlag(args, key);
    if (value) query.set(key, value);
  }
  const page = await client.request<Page<Workflow>>('GET', `/workflows?${query.toString()}`);
  io.out(io.json ? JSON.stringify(page) : table(page.items, ['id', 'name', 'version', 'state', 'tags', 'updated_at']));
  return EXIT.ok;
};

export const get: Command = async (client, args, io) => {
  const id = required(args, 1, 'get <workflow-id|execution-id>');
  const path = id.startsWith('ex_') ? `/executions/${id}` : `/workflows/${id}`;
  const resource = await client.request<unknown>('GET', path);
  io.out(JSON.stringify(resource, null, io.json ? undefined : 2));
  return EXIT.ok;
};

export const run: Command = async (client, args, io) => {
  const workflowId = required(args, 1, 'run <workflow-id> [--input JSON] [--wait]');
  const inputText = stringFlag(args, 'input') ?? '{}';
  let input: unknown;
  try {
    input = JSON.parse(inputText);
  } catch {
    throw new UsageError(`--input is not valid JSON: ${inputText}`);
  }
  const idempotencyKey = stringFlag(args, 'idempotency-key');
  const started = await client.request<Execution>('POST', `/workflows/${workflowId}/execute`, {
    input,
    ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
  });
  if (args.flags.wait !== true) {
    io.out(io.json ? JSON.stringify(started) : started.id);
    return EXIT.ok;
  }
  const final = await waitForEnd(client, started.id, io);
  io.out(io.json ? JSON.stringify(final) : describe(final));
  return final.status === 'completed' ? EXIT.ok : EXIT.runFailed;
};

export const executions: Command = async (client, args, io) => {
  const query = new URLSearchParams({ limit: stringFlag(args, 'limit') ?? '50', sort_order: 'desc' });
  for (const key of ['status', 'workflow_id']) {
    const value = stringFlag(args, key);
    if (value) query.set(key, value);
  }
  const workflowId = args.positional[1];
  const path = workflowId ? `/workflows/${workflowId}/executions` : '/executions';
  const page = await client.request<Page<Execution>>('GET', `${path}?${query.toString()}`);
  const columns = ['id', 'workflow_id', 'status', 'started_at', 'duration_ms'];
  io.out(io.json ? JSON.stringify(page) : table(page.items, columns));
  return EXIT.ok;
};

/** Follows an execution live (Server-Sent Events), printing each event as it happens. */
export const watch: Command = async (client, args, io) => {
  const id = required(args, 1, 'watch <execution-id>');
  let last: Execution | undefined;
  await client.stream(`/executions/${id}/stream`, (event, data) => {
    if (event === 'status') last = data as Execution;
    if (io.json) io.out(JSON.stringify({ event, data }));
    else io.out(formatStreamEvent(event, data));
  });
  last ??= await client.request<Execution>('GET', `/executions/${id}`);
  if (!io.json) io.out(describe(last));
  return last.status === 'completed' || !TERMINAL.has(last.status) ? EXIT.ok : EXIT.runFailed;
};

export const logs: Command = async (client, args, io) => {
  const id = required(args, 1, 'logs <execution-id>');
  const lines = await client.request<{ items: { timestamp: string; level: string; message: string; task?: string }[] }>(
    'GET',
    `/executions/${id}/logs`,
  );
  if (io.json) io.out(JSON.stringify(lines));
  else for (const l of lines.items) io.out(`${l.timestamp} ${l.level.padEnd(5)} ${l.task ?? ''} ${l.message}`.trim());
  return EXIT.ok;
};

export const cancel: Command = async (client, args, io) => {
  const id = required(args, 1, 'cancel <execution-id> [--reason text]');
  const reason = stringFlag(args, 'reason');
  const execution = await client.request<Execution>('POST', `/executions/${id}/cancel`, reason ? { reason } : {});
  io.out(io.json ? JSON.stringify(execution) : `${execution.id} ${execution.status}`);
  return EXIT.ok;
};

export const dlq: Command = async (client, args, io) => {
  const action = args.positional[1];
  if (action === 'list') {
    const page = await client.request<{ items: Record<string, unknown>[] }>('GET', '/dlq');
    io.out(io.json ? JSON.stringify(page) : table(page.items, ['id', 'stream', 'deliveries', 'error', 'dead_at']));
    return EXIT.ok;
  }
  if (action === 'redrive') {
    const id = required(args, 2, 'dlq redrive <dead-letter-id>');
    await client.request<unknown>('POST', `/dlq/${encodeURIComponent(id)}/redrive`, {});
    io.out(io.json ? JSON.stringify({ redriven: id }) : `redriven ${id}`);
    return EXIT.ok;
  }
  throw new UsageError('dlq list | dlq redrive <dead-letter-id>');
};

async function waitForEnd(client: ApiClient, id: string, io: Output): Promise<Execution> {
  const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  for (let tick = 0; ; tick++) {
    const execution = await client.request<Execution>('GET', `/executions/${id}`);
    if (TERMINAL.has(execution.status)) {
      if (io.interactive) io.err('\r\x1b[K');
      return execution;
    }
    if (io.interactive) {
      io.err(`\r${spinner[tick % spinner.length]} ${id} ${execution.status} ${execution.current_task ?? ''}\x1b[K`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function describe(execution: Execution): string {
  const head = `${execution.id} ${execution.status}${execution.duration_ms !== undefined ? ` in ${execution.duration_ms} ms` : ''}`;
  if (execution.status === 'faulted' && execution.error) {
    return `${head}\n${execution.error.title ?? execution.error.type} (${execution.error.status}): ${execution.error.detail ?? ''}`;
  }
  return execution.output !== undefined ? `${head}\n${JSON.stringify(execution.output, null, 2)}` : head;
}

function formatStreamEvent(event: string, data: unknown): string {
  if (event === 'status') {
    const e = data as Execution;
    return `● ${e.status}${e.current_task ? ` at ${e.current_task}` : ''}`;
  }
  const e = data as { type?: string; time?: string; data?: { task_name?: string } };
  const task = e.data?.task_name ? ` ${e.data.task_name}` : '';
  return `  ${e.time ?? ''} ${(e.type ?? event).replace('io.wormhole.', '')}${task}`;
}

function required(args: ParsedArgs, index: number, usage: string): string {
  const value = args.positional[index];
  if (!value) throw new UsageError(`usage: wormhole ${usage}`);
  return value;
}

/** The document as JSON and its `document.name` (YAML is a superset of JSON: one parser reads both). */
function readDocument(text: string): { definition: unknown; name?: string } {
  let definition: unknown;
  try {
    definition = parse(text, { maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new UsageError(`not a YAML or JSON document: ${(e as Error).message}`);
  }
  const document = (definition as { document?: { name?: unknown } } | null)?.document;
  return { definition, ...(typeof document?.name === 'string' ? { name: document.name } : {}) };
}
