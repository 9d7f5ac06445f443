import { validate } from '@serverlessworkflow/sdk';
import type { ErrorDetail, JsonObject } from '@wormhole/interfaces';
import { ValidationError } from '@wormhole/interfaces';

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
 * Validates a Serverless Workflow document against the official 1.0.x JSON schema (shipped by
 * the spec's TypeScript SDK). The SDK pins its own schema version, 1.0.0; the 1.0.x patch releases
 * changed no structure the schema checks, so a 1.0.1–1.0.3 document is validated as 1.0.0 after
 * its version is checked here.
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
    validate('Workflow', { ...(doc as JsonObject), document: { ...(document as JsonObject), dsl: '1.0.0' } });
  } catch (e) {
    const details = schemaErrorDetails(e instanceof Error ? e.message : String(e));
    const first = details[0];
    const message = first
      ? `invalid workflow definition: ${first.path || '/'} ${first.message}`
      : 'invalid workflow definition';
    throw new ValidationError(message, details, { cause: e });
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
