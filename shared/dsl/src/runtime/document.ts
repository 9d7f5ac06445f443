import type { Specification } from '@serverlessworkflow/sdk';
import { configurationFault } from './errors';

/** A workflow document, as parsed and validated (the SDK's types are generated from the spec's schema). */
export type WorkflowDocument = Specification.Workflow;
export type TaskDefinition = Specification.Task;

/** The DSL task kinds, in the order they are recognised (`for` and `try` also hold a `do`). */
export const TASK_TYPES = [
  'for',
  'try',
  'fork',
  'call',
  'emit',
  'listen',
  'raise',
  'run',
  'set',
  'switch',
  'wait',
  'do',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** A task as it sits in a task list: its name, its JSON pointer and its position. */
export interface TaskEntry {
  readonly name: string;
  /** JSON pointer of the task, e.g. "/do/1/checkout/do/0/charge" (the DSL's task reference). */
  readonly path: string;
  readonly index: number;
  readonly definition: TaskDefinition;
  readonly type: TaskType;
}

/** The root of the document: the workflow is the outermost scope, at the empty pointer. */
export const ROOT_PATH = '';

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Pointer of the task list holding the task at `path`: "/do/1/a/do/0/b" → "/do/1/a/do". */
export function listPointerOf(path: string): string {
  const tokens = path.split('/');
  return tokens.slice(0, -2).join('/');
}

/** True when `path` lies strictly inside `ancestor` (pointer prefix on a token boundary). */
export function isWithin(path: string, ancestor: string): boolean {
  return path.startsWith(`${ancestor}/`);
}

export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let node: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    const token = unescapeToken(raw);
    node = Array.isArray(node) ? (node[Number(token)] as unknown) : (node as Record<string, unknown>)[token];
  }
  return node;
}

export function taskTypeOf(definition: TaskDefinition): TaskType {
  const type = TASK_TYPES.find((candidate) => candidate in definition);
  if (type === undefined) throw configurationFault(`task has no known type: ${Object.keys(definition).join(', ')}`);
  return type;
}

/** The tasks of the list at `listPointer` ("/do", "/do/1/a/do", later "/do/2/t/try", …). */
export function taskList(document: WorkflowDocument, listPointer: string): TaskEntry[] {
  const list = resolvePointer(document, listPointer);
  if (!Array.isArray(list)) throw configurationFault(`no task list at '${listPointer}'`);
  return list.map((item, index) => entryOf(item, `${listPointer}/${index}`, index));
}

/** The task at a task pointer such as "/do/0/fetch". */
export function taskAt(document: WorkflowDocument, path: string): TaskEntry {
  const tokens = path.split('/');
  const index = Number(tokens[tokens.length - 2]);
  const itemPointer = tokens.slice(0, -1).join('/');
  const entry = entryOf(resolvePointer(document, itemPointer), itemPointer, index);
  if (entry.path !== path) throw configurationFault(`no task at '${path}'`);
  return entry;
}

function entryOf(item: unknown, itemPointer: string, index: number): TaskEntry {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw configurationFault(`no task at '${itemPointer}'`);
  }
  const names = Object.keys(item);
  const name = names[0];
  if (names.length !== 1 || name === undefined) throw configurationFault(`'${itemPointer}' must name exactly one task`);
  const definition = (item as Record<string, unknown>)[name];
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    throw configurationFault(`task '${name}' at '${itemPointer}' is not an object`);
  }
  const task = definition as TaskDefinition;
  return { name, path: `${itemPointer}/${escapeToken(name)}`, index, definition: task, type: taskTypeOf(task) };
}
