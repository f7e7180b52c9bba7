import { describe, expect, it } from '@jest/globals';
import { networkPolicyMissing } from '../../../../core/config/checks/network-policy-missing.js';
import { parseManifests } from '../../../../core/config/input/parse-manifests.js';
import { CONTEXT_KINDS } from '../../../../core/config/registry.js';
import { scanConfig } from '../../../../core/config/scan-config.js';
import { Suppressor } from '../../../../core/config/suppression.js';

const now = new Date('2026-11-24T00:00:00Z');

const policy = (name: string, podSelector: unknown, types: string[]) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'shop' },
  spec: { podSelector, policyTypes: types },
});

const deployment = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
});

function evidenceByWorkload(objects: unknown[]): Record<string, string | undefined> {
  const text = objects.map((o) => JSON.stringify(o)).join('\n---\n');
  const parsed = parseManifests({ name: 'policies.yaml', text });
  const result = scanConfig(parsed.objects, {
    checks: [networkPolicyMissing],
    suppressor: new Suppressor([], now),
    contextKinds: CONTEXT_KINDS,
    now,
  });
  return Object.fromEntries(result.findings.map((f) => [f.resource.name, f.evidence]));
}

// The check indexes plain matchLabels policies by their first pair: a pod must still be judged by every
// policy that selects it, whichever label the policy names first, and by every policy it cannot index.
describe('network-policy-missing with many policies in a namespace', () => {
  const policies = [
    policy('web-in', { matchLabels: { app: 'web' } }, ['Ingress']),
    policy('frontend-out', { matchLabels: { tier: 'frontend' } }, ['Egress']),
    policy('api-both', { matchLabels: { app: 'api', tier: 'backend' } }, ['Ingress', 'Egress']),
    policy('batch-out', { matchExpressions: [{ key: 'app', operator: 'In', values: ['batch'] }] }, [
      'Egress',
    ]),
    policy('broken', { matchLabels: { app: 'worker', tier: 5 } }, ['Ingress', 'Egress']),
  ];
  const count = '(5 policies in the input)';

  it('finds the policies selecting each pod through any of its labels', () => {
    expect(
      evidenceByWorkload([
        ...policies,
        deployment('web', { app: 'web', tier: 'frontend' }),
        deployment('api', { app: 'api', tier: 'backend' }),
        deployment('api-frontend', { app: 'api', tier: 'frontend' }),
        deployment('batch', { app: 'batch' }),
        deployment('worker', { app: 'worker', tier: '5' }),
        deployment('bare', {}),
      ]),
    ).toEqual({
      'api-frontend': `no network policy in namespace "shop" isolates these pods for Ingress ${count}`,
      batch: `no network policy in namespace "shop" isolates these pods for Ingress ${count}`,
      worker: `no network policy in namespace "shop" isolates these pods for Ingress or Egress ${count}`,
      bare: `no network policy in namespace "shop" isolates these pods for Ingress or Egress ${count}`,
    });
  });

  it('reads labels that are own strings only', () => {
    expect(
      evidenceByWorkload([
        policy('proto', { matchLabels: { constructor: 'x' } }, ['Ingress', 'Egress']),
        deployment('plain', {}),
      ]),
    ).toEqual({
      plain:
        'no network policy in namespace "shop" isolates these pods for Ingress or Egress (1 policy in the input)',
    });
  });
});
