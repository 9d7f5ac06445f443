// The manifests under deploy/k8s against the Kubernetes API schemas bundled by kubernetes-models
// (no cluster, no kubectl, no download: see k8s-validate.ts), and proof that the check rejects
// what it should.
import type { LabelledManifest } from './k8s-validate';
import { schemaErrors, typeErrors } from './k8s-validate';
import { loadK8s } from './deploy-files';

const manifests = loadK8s();

function deploymentFrom(items: LabelledManifest[]): LabelledManifest {
  const found = items.find((m) => m.manifest.kind === 'Deployment');
  if (!found) throw new Error('no Deployment');
  return { source: 'broken', manifest: structuredClone(found.manifest) };
}

type Container = Record<string, unknown> & { livenessProbe?: unknown; ports?: { containerPort: unknown }[] };
function firstContainer(item: LabelledManifest): Container {
  const spec = item.manifest.spec as { template: { spec: { containers: Container[] } } };
  return spec.template.spec.containers[0]!;
}

describe('deploy/k8s against the Kubernetes schemas', () => {
  it('covers every kind the manifests use', () => {
    expect([...new Set(manifests.map((m) => `${m.manifest.apiVersion} ${m.manifest.kind}`))].sort()).toEqual([
      'apps/v1 Deployment',
      'autoscaling/v2 HorizontalPodAutoscaler',
      'batch/v1 CronJob',
      'batch/v1 Job',
      'policy/v1 PodDisruptionBudget',
      'v1 ConfigMap',
      'v1 Namespace',
      'v1 Secret',
      'v1 Service',
    ]);
  });

  it('passes the schema validators (types, required fields, enums, formats)', () => {
    expect(schemaErrors(manifests)).toEqual([]);
  });

  it('type-checks against the API types: no unknown or misspelt field anywhere', () => {
    expect(typeErrors(manifests)).toEqual([]);
  });
});

describe('the Kubernetes check itself', () => {
  it('rejects a wrong type and a missing required field', () => {
    const badPort = deploymentFrom(manifests);
    firstContainer(badPort).ports![0]!.containerPort = 'eighty';
    const noSelector = deploymentFrom(manifests);
    delete (noSelector.manifest.spec as Record<string, unknown>).selector;
    const [portError, selectorError] = [schemaErrors([badPort]), schemaErrors([noSelector])];
    expect(portError).toHaveLength(1);
    expect(portError[0]).toMatch(/containerPort must be integer/);
    expect(selectorError).toHaveLength(1);
    expect(selectorError[0]).toMatch(/spec must have required property '?selector'?/);
  });

  it('rejects a misspelt field the schema validators let through', () => {
    const typo = deploymentFrom(manifests);
    const container = firstContainer(typo);
    container.livenesProbe = container.livenessProbe;
    delete container.livenessProbe;
    // The OpenAPI schemas allow unknown fields (the API server would drop this one silently) ...
    expect(schemaErrors([typo])).toEqual([]);
    // ... the type check does not.
    const errors = typeErrors([typo]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^broken \(Deployment wormhole-\w+\): .*'"?livenesProbe"?' does not exist in type/);
  });

  it('rejects a kind it has no schema for', () => {
    const unknown: LabelledManifest = {
      source: 'broken',
      manifest: { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } },
    };
    expect(schemaErrors([unknown])[0]).toMatch(/no schema for apps\/v1 Deploymnet/);
  });
});
