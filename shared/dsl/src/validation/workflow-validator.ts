import { validate as validateDsl100 } from '@serverlessworkflow/sdk';
import { validate as validateDsl103 } from 'serverlessworkflow-sdk-1.0.3';
import type { ErrorDetail, JsonObject } from '@wormhole/interfaces';
import { ValidationError } from '@wormhole/interfaces';
import { catalogProblems } from './catalog-references';
import { unsupportedEvaluation } from './evaluation-settings';
import { scheduleProblems } from '../schedule/schedule';

/** The DSL versions this engine runs. */
export const SUPPORTED_DSL_VERSIONS = ['1.0.0', '1.0.1', '1.0.2', '1.0.3'] as const;

/** What the API keeps from a valid document's `document` section. */
export interface DocumentSummary {
  readonly spec_version: string;
  readonly namespace: string;
  readonly name: string;
  readonly version: string;
  readonly title?: string;
  readonly summary?: string;
}

const MAX_DETAILS = 25;

/**
 * Validates a Serverless Workflow document against the official JSON schema of its DSL version,
 * as shipped by the spec's TypeScript SDK: a 1.0.0 document against the 1.0.0 schema (SDK 1.0.1),
 * a 1.0.1–1.0.3 document against the 1.0.3 schema (SDK 1.0.3, installed under an alias beside
 * it). The patch releases widened the schema (e.g. `set` and HTTP `headers`/`query` given as one
 * runtime expression, `arguments` as a list, a container's `pullPolicy`), which the spec's own
 * examples use; a patch-version document that the 1.0.0 schema accepts stays accepted.
 * @throws ValidationError with one detail per problem (JSON pointer and message)
 */
export function validateWorkflowDocument(doc: unknown): DocumentSummary {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ValidationError('a workflow definition must be a JSON object', [{ path: '', message: 'not an object' }]);
  }
  const document = (doc as { document?: unknown }).document;
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ValidationError('the definition has no `document` section', [
      { path: '/document', message: "must have required property 'document'" },
    ]);
  }
  const dsl = (document as { dsl?: unknown }).dsl;
  if (typeof dsl !== 'string' || !(SUPPORTED_DSL_VERSIONS as readonly string[]).includes(dsl)) {
    throw new ValidationError(
      `unsupported DSL version ${JSON.stringify(dsl ?? null)}; supported: ${SUPPORTED_DSL_VERSIONS.join(', ')}`,
      [{ path: '/document/dsl', message: `must be one of ${SUPPORTED_DSL_VERSIONS.join(', ')}` }],
    );
  }
  try {
    validateAgainstSchemaOf(dsl, doc as JsonObject, document as JsonObject);
  } catch (e) {
    const details = schemaErrorDetails(e instanceof Error ? e.message : String(e));
    const first = details[0];
    const message = first
      ? `invalid workflow definition: ${first.path || '/'} ${first.message}`
      : 'invalid workflow definition';
    throw new ValidationError(message, details, { cause: e });
  }
  const unsupported = [
    ...unsupportedEvaluation(doc as Record<string, unknown>),
    ...scheduleProblems(doc as Record<string, unknown>),
    ...catalogProblems(doc as Record<string, unknown>),
  ];
  if (unsupported.length > 0) {
    throw new ValidationError(
      `unsupported workflow definition: ${unsupported[0]!.path} ${unsupported[0]!.message}`,
      unsupported,
    );
  }
  const d = document as Record<string, unknown>;
  return {
    spec_version: dsl,
    namespace: String(d.namespace),
    name: String(d.name),
    version: String(d.version),
    ...(typeof d.title === 'string' ? { title: d.title } : {}),
    ...(typeof d.summary === 'string' ? { summary: d.summary } : {}),
  };
}

/** @throws the SDK's error when the document does not match the schema of `dsl`. */
function validateAgainstSchemaOf(dsl: string, doc: JsonObject, document: JsonObject): void {
  const as100 = (): void => validateDsl100('Workflow', { ...doc, document: { ...document, dsl: '1.0.0' } });
  if (dsl === '1.0.0') {
    as100();
    return;
  }
  try {
    validateDsl103('Workflow', { ...doc, document: { ...document, dsl: '1.0.3' } });
  } catch (e) {
    try {
      as100();
    } catch {
      throw e; // the problems reported are those of the document's own version
    }
  }
}

/**
 * Turns the SDK's error text (`- /path | #/schema/path | message | {params}` per line) into
 * details. Alternatives the schema tried for one value (its `oneOf` branches) are folded into one
 * line per path, and the most specific paths come first.
 */
export function schemaErrorDetails(text: string): ErrorDetail[] {
  const byPath = new Map<string, { messages: string[]; required: string[] }>();
  for (const line of text.split('\n')) {
    const match = /^- (\S*) \| (\S*) \| (.*?) \| (.*)$/.exec(line);
    if (!match) continue;
    const path = match[1] ?? '';
    const message = match[3] ?? '';
    const entry = byPath.get(path) ?? { messages: [], required: [] };
    const required = /^must have required property '(.+)'$/.exec(message);
    if (required?.[1]) entry.required.push(required[1]);
    else if (!entry.messages.includes(message)) entry.messages.push(message);
    byPath.set(path, entry);
  }
  const details = foldedDetails(byPath, (m) => !BRANCH_NOISE.has(m));
  // Only branch bookkeeping was reported: show it rather than nothing.
  return (details.length > 0 ? details : foldedDetails(byPath, () => true)).slice(0, MAX_DETAILS);
}

/**
 * Messages a `oneOf` produces for the branches the value was never meant to match (another call
 * type's constant, a `not`): true of every invalid task, so they say nothing about this one.
 */
const BRANCH_NOISE = new Set([
  'must match exactly one schema in oneOf',
  'must match a schema in anyOf',
  'must be equal to constant',
  'must NOT be valid',
]);

function foldedDetails(
  byPath: Map<string, { messages: string[]; required: string[] }>,
  keep: (message: string) => boolean,
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const [path, entry] of [...byPath].sort((a, b) => depth(b[0]) - depth(a[0]))) {
    const required = [...new Set(entry.required)];
    if (required.length === 1) details.push({ path, message: `must have required property '${required[0]}'` });
    if (required.length > 1) details.push({ path, message: `must have one of the properties: ${required.join(', ')}` });
    for (const message of entry.messages) if (keep(message)) details.push({ path, message });
  }
  return details;
}

function depth(path: string): number {
  return path.split('/').length;
}
