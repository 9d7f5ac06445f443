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

/**
 * The token that opens an extension's task list inside the run it extends:
 * `<extended task>/@extension/<k>/before|after` is the `before`/`after` list of `use.extensions[k]`,
 * run on behalf of that task. Runs inside an extension thus sit inside the extended run, the way a
 * `do`'s subtasks do, so ownership, failure propagation and replay need nothing new; and two runs
 * of one extension (a fork's branches, a loop) never share a path. A task definition has no
 * property of that name, so the token cannot clash with a real pointer.
 */
export const EXTENSION_TOKEN = '@extension';
const EXTENSION_SEGMENT = `/${EXTENSION_TOKEN}/`;

/** Pointer of the `stage` list of `use.extensions[index]` when it runs for the task at `extendedPath`. */
export function extensionListPointer(extendedPath: string, index: number, stage: 'before' | 'after'): string {
  return `${extendedPath}${EXTENSION_SEGMENT}${index}/${stage}`;
}

/** The path of the extended task a run belongs to when it runs inside an extension, else undefined. */
export function extendedPathOf(path: string): string | undefined {
  const at = path.indexOf(EXTENSION_SEGMENT);
  return at < 0 ? undefined : path.slice(0, at);
}

/** The document pointer behind a task pointer: an extension's list resolves to `/use/extensions/<k>/<name>/…`. */
function documentPointer(document: WorkflowDocument, pointer: string): string {
  const at = pointer.indexOf(EXTENSION_SEGMENT);
  if (at < 0) return pointer;
  const [index = '', ...rest] = pointer.slice(at + EXTENSION_SEGMENT.length).split('/');
  const item: unknown = document.use?.extensions?.[Number(index)];
  const name = item !== null && typeof item === 'object' ? Object.keys(item)[0] : undefined;
  if (name === undefined) throw configurationFault(`no extension at '/use/extensions/${index}'`);
  return [`/use/extensions/${index}/${escapeToken(name)}`, ...rest].join('/');
}

/** The tasks of the list at `listPointer` ("/do", "/do/1/a/do", later "/do/2/t/try", …). */
export function taskList(document: WorkflowDocument, listPointer: string): TaskEntry[] {
  const list = resolvePointer(document, documentPointer(document, listPointer));
  if (!Array.isArray(list)) throw configurationFault(`no task list at '${listPointer}'`);
  return list.map((item, index) => entryOf(item, `${listPointer}/${index}`, index));
}

/** The task at a task pointer such as "/do/0/fetch". */
export function taskAt(document: WorkflowDocument, path: string): TaskEntry {
  const tokens = path.split('/');
  const index = Number(tokens[tokens.length - 2]);
  const itemPointer = tokens.slice(0, -1).join('/');
  const entry = entryOf(resolvePointer(document, documentPointer(document, itemPointer)), itemPointer, index);
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
