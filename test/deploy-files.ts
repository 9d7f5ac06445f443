// The deployment files as the deployment tests see them, and what the code says they must match.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { LabelledManifest, Manifest } from './k8s-validate';

export const root = path.resolve(__dirname, '..');
export const k8sDir = path.join(root, 'deploy/k8s');
export const ROLES = ['api', 'worker', 'executor'] as const;
export type Role = (typeof ROLES)[number];

export function readText(relative: string): string {
  return readFileSync(path.join(root, relative), 'utf8');
}

/** docker-compose.yml with YAML merge keys applied, as Compose reads it. */
export function loadCompose(): Record<string, unknown> {
  return parse(readText('docker-compose.yml'), { merge: true }) as Record<string, unknown>;
}

/** Every object of every manifest under deploy/k8s except the kustomization, labelled by file. */
export function loadK8s(): LabelledManifest[] {
  return manifestFiles().flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(k8sDir, file), 'utf8')).map((doc, i) => {
      if (doc.errors.length > 0) throw new Error(`deploy/k8s/${file}#${i}: ${doc.errors[0]!.message}`);
      return { source: `deploy/k8s/${file}#${i}`, manifest: doc.toJS() as Manifest };
    }),
  );
}

export function manifestFiles(): string[] {
  return readdirSync(k8sDir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    // Benchmarks are excluded from every package build: they are not in the image.
    if (name === 'node_modules' || name === 'dist' || name === 'bench') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') && !full.includes('__tests__') ? [full] : [];
  });
}

/** Non-test, non-benchmark TypeScript sources of every workspace. */
export function workspaceSources(): string[] {
  return ['shared', 'services'].flatMap((d) => sourceFiles(path.join(root, d)));
}

/**
 * The environment variables the services read: the names passed to an EnvReader method (as
 * config-docs.test.ts finds them), and the upper-case string literals of a file that makes an
 * EnvReader (names passed on through a helper, e.g. `required('S3_BUCKET')`).
 */
export function variablesRead(): Set<string> {
  const read = new Set<string>();
  for (const file of workspaceSources()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\.(?:int|number|string|bool|oneOf|url|raw)\(\s*'([A-Z][A-Z0-9_]*)'/g)) {
      read.add(m[1]!);
    }
    if (/new EnvReader\(/.test(text)) {
      for (const m of text.matchAll(/\b\w+\(\s*'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'\s*\)/g)) read.add(m[1]!);
    }
  }
  return read;
}

/** The port variable of each role and its default, read from the role's config.ts. */
export function portSettings(): Record<Role, { variable: string; default: number }> {
  const variables: Record<Role, string> = {
    api: 'API_PORT',
    worker: 'WORKER_HEALTH_PORT',
    executor: 'EXECUTOR_HEALTH_PORT',
  };
  const out = {} as Record<Role, { variable: string; default: number }>;
  for (const role of ROLES) {
    const config = readText(`services/${role}/src/config.ts`);
    const m = new RegExp(`r\\.int\\('${variables[role]}',\\s*(\\d+)`).exec(config);
    if (!m) throw new Error(`services/${role}/src/config.ts does not read ${variables[role]}`);
    out[role] = { variable: variables[role], default: Number(m[1]) };
  }
  return out;
}

/** The default of SHUTDOWN_GRACE_MS in a role's config.ts. */
export function shutdownGraceDefault(role: Role): number {
  const m = /r\.int\('SHUTDOWN_GRACE_MS',\s*(\d+)/.exec(readText(`services/${role}/src/config.ts`));
  if (!m) throw new Error(`services/${role}/src/config.ts does not read SHUTDOWN_GRACE_MS`);
  return Number(m[1]);
}

/** "30s", "1m30s", "500ms" (Compose durations) → milliseconds. */
export function composeDurationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new Error(`not a Compose duration: ${text}`);
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** The workspaces of the root package.json ("shared/storage", "services/api", …). */
export function workspaces(): string[] {
  return (JSON.parse(readText('package.json')) as { workspaces: string[] }).workspaces;
}

/**
 * The packages a source file loads at run time (imports that survive compilation, require,
 * require.resolve, dynamic import), without node built-ins and relative paths.
 */
export function runtimeImports(source: string): string[] {
  const names = new Set<string>();
  const pattern =
    /(?:^|\n)\s*import\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^'.][^']*)'|require(?:\.resolve)?\(\s*'([^'.][^']*)'\s*\)|import\(\s*'([^'.][^']*)'\s*\)/g;
  for (const m of source.matchAll(pattern)) {
    if (m[1]) continue;
    const spec = (m[2] ?? m[3] ?? m[4])!;
    if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return [...names];
}

/**
 * Every package loaded at run time by the code reachable from `entries` (relative imports and
 * @wormhole/* workspaces followed through their src/index.ts), with the workspace that loads it.
 */
export function reachableImports(entries: readonly string[]): { workspace: string; file: string; name: string }[] {
  const byName = new Map<string, string>();
  for (const workspace of workspaces()) {
    byName.set((JSON.parse(readText(`${workspace}/package.json`)) as { name: string }).name, workspace);
  }
  const resolveTs = (base: string): string => {
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
      if (existsSync(path.join(root, candidate))) return candidate;
    }
    throw new Error(`cannot resolve ${base}`);
  };
  const seen = new Set<string>();
  const found: { workspace: string; file: string; name: string }[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const workspace = file.split('/').slice(0, 2).join('/');
    const text = readText(file);
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'(\.[^']*)'/g)) {
      if (!m[1]) queue.push(resolveTs(path.posix.join(path.posix.dirname(file), m[2]!)));
    }
    for (const name of runtimeImports(text)) {
      const target = byName.get(name);
      if (target) queue.push(`${target}/src/index.ts`);
      found.push({ workspace, file, name });
    }
  }
  return found;
}
