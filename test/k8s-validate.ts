// Validates Kubernetes manifests offline against the API's own schemas, as bundled by the
// `kubernetes-models` package (generated from the Kubernetes OpenAPI document, about v1.31):
//  1. its compiled JSON-schema validators: types, required fields, enums, formats;
//  2. its TypeScript declarations, through the compiler's excess-property check: the OpenAPI
//     schemas allow unknown fields (the API server drops them silently), so a misspelt
//     `livenesProbe` would pass (1) and yield a pod without a liveness probe.
import path from 'node:path';
import ts from 'typescript';

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string };
  readonly [field: string]: unknown;
}

export interface LabelledManifest {
  /** Where it came from, for messages: "deploy/k8s/api.yaml#0". */
  readonly source: string;
  readonly manifest: Manifest;
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** "apps/v1" + "Deployment" → "kubernetes-models/apps/v1/Deployment"; core "v1" → "kubernetes-models/v1/…". */
export function modelModule(manifest: Pick<Manifest, 'apiVersion' | 'kind'>): string {
  if (!/^[a-z0-9.]+(\/v[0-9a-z]+)?$/.test(manifest.apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(manifest.kind)) {
    throw new Error(`not a Kubernetes apiVersion/kind: ${manifest.apiVersion} ${manifest.kind}`);
  }
  return `kubernetes-models/${manifest.apiVersion}/${manifest.kind}`;
}

function loadModel(manifest: Manifest): ModelClass {
  let exported: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(modelModule(manifest)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}: ${(e as Error).message.split('\n')[0]}`);
  }
  const model = exported[manifest.kind];
  if (typeof model !== 'function') throw new Error(`no model ${manifest.kind} in ${modelModule(manifest)}`);
  return model as ModelClass;
}

/** Problems found by the schema validators, one line each ("" when valid). */
export function schemaErrors(items: readonly LabelledManifest[]): string[] {
  const errors: string[] = [];
  for (const { source, manifest } of items) {
    try {
      new (loadModel(manifest))(manifest).validate();
    } catch (e) {
      errors.push(`${source} (${manifest.kind} ${manifest.metadata?.name ?? '?'}): ${(e as Error).message}`);
    }
  }
  return errors;
}

/**
 * Problems found by type-checking each manifest as an object literal of its kind's declared type:
 * unknown fields at any depth, and wrong types the validators let through.
 */
export function typeErrors(items: readonly LabelledManifest[]): string[] {
  const root = path.resolve(__dirname, '..');
  // A file beside this one (never written), so `kubernetes-models` resolves from the project.
  const fileName = path.join(__dirname, '__k8s_manifests__.ts');
  const chunks: string[] = items.map(
    ({ manifest }, i) => `import type { I${manifest.kind} as T${i} } from '${modelModule(manifest)}';`,
  );
  let line = chunks.length;
  const spans: { source: string; from: number; to: number }[] = [];
  items.forEach(({ source, manifest }, i) => {
    const chunk = `export const m${i}: T${i} = ${JSON.stringify(manifest, null, 2)};`;
    const to = line + chunk.split('\n').length;
    spans.push({ source: `${source} (${manifest.kind} ${manifest.metadata?.name ?? '?'})`, from: line, to });
    chunks.push(chunk);
    line = to;
  });
  const text = chunks.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: root,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) =>
    path.resolve(name) === fileName
      ? ts.createSourceFile(name, text, languageVersion, true)
      : getSourceFile(name, languageVersion, onError, shouldCreate);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (path.resolve(name) === fileName ? text : readFile(name));
  const program = ts.createProgram([fileName], options, host);
  const file = program.getSourceFile(fileName)!;
  const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
  return diagnostics.map((d) => {
    const at = d.start === undefined ? -1 : file.getLineAndCharacterOfPosition(d.start).line;
    const where = spans.find((s) => at >= s.from && at < s.to)?.source ?? 'imports';
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    return `${where}: ${message.replace(/\s+/g, ' ')}`;
  });
}
