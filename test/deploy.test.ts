// Docker has no engine on the development machines, so the deployment files are checked here:
// they parse, every role is present with health checks, and what they reference exists.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '..');

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  healthcheck?: { test: string[] };
  environment?: Record<string, string>;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };

  it('runs redis (with AOF), postgres, mongo and the three services, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'executor', 'mongo', 'postgres', 'redis', 'worker']);
    for (const [name, service] of Object.entries(compose.services)) {
      expect({ name, test: service.healthcheck?.test?.length ?? 0 }).toEqual({
        name,
        test: expect.any(Number) as number,
      });
      expect(service.healthcheck?.test.length).toBeGreaterThan(0);
    }
    expect(compose.services.redis!.command).toContain('--appendonly');
  });

  it('starts each role from a built entry point that the build produces', () => {
    for (const role of ['api', 'worker', 'executor']) {
      const command = compose.services[role]!.command!;
      expect(command[1]).toBe(`services/${role}/dist/main.js`);
      expect(existsSync(path.join(root, `services/${role}/src/main.ts`))).toBe(true);
      expect(compose.services[role]!.environment).toMatchObject({ DATABASE_TYPE: 'postgres' });
    }
  });
});

describe('deploy/k8s', () => {
  const dir = path.join(root, 'deploy/k8s');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as K8sObject));

  interface K8sObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
    spec?: {
      template?: {
        spec: {
          containers: {
            readinessProbe?: unknown;
            livenessProbe?: unknown;
            resources?: { requests?: unknown; limits?: unknown };
          }[];
        };
      };
    };
  }

  it('lists every manifest in the kustomization', () => {
    const kustomization = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
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
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'wormhole-api',
      'wormhole-executor',
      'wormhole-worker',
    ]);
    for (const deployment of deployments) {
      for (const container of deployment.spec!.template!.spec.containers) {
        expect(container.readinessProbe).toBeDefined();
        expect(container.livenessProbe).toBeDefined();
        expect(container.resources?.requests).toBeDefined();
        expect(container.resources?.limits).toBeDefined();
      }
    }
    const hpas = docs.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((d) => d.metadata.name);
    expect(hpas.sort()).toEqual(['wormhole-executor', 'wormhole-worker']);
    expect(docs.filter((d) => d.kind === 'PodDisruptionBudget')).toHaveLength(3);
    expect(docs.some((d) => d.kind === 'Job' && d.metadata.name === 'wormhole-migrate')).toBe(true);
  });
});
