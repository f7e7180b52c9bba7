import { describe, expect, it } from '@jest/globals';
import { AdmissionPolicySet } from '../../../core/admission/policy-set.js';
import { reviewObject } from '../../../core/admission/review-object.js';
import type { KubeObject } from '../../../core/kube/types.js';

function denyAll(
  name: string,
  rule: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      matchConstraints: {
        resourceRules: [{ apiVersions: ['v1'], operations: ['CREATE'], ...rule }],
        ...extra,
      },
      validations: [{ expression: 'false', message: `${name} denies` }],
    },
  };
}

const set = AdmissionPolicySet.build(
  [
    denyAll('deployments', { apiGroups: ['apps'], resources: ['deployments'] }),
    denyAll('named-config', { apiGroups: [''], resources: ['configmaps'], resourceNames: ['special'] }),
    denyAll(
      'labelled-config',
      { apiGroups: [''], resources: ['configmaps'] },
      {
        objectSelector: { matchLabels: { checked: 'yes' } },
      },
    ),
    denyAll('everything', { apiGroups: ['*'], resources: ['*'] }),
  ].map((object) => ({ object, source: 'policies.yaml' })),
);
const context = { namespace: () => undefined, params: [] };

function deniedBy(object: KubeObject): string[] {
  return reviewObject(set, object, context).violations.map((v) => v.ruleId);
}

const configMap = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop', labels },
});

describe('reviewObject', () => {
  it('reviews an object against the policies whose rules name its resource, in the order given', () => {
    expect(set.problems).toEqual([]);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
    };
    expect(deniedBy(deployment)).toEqual(['deployments', 'everything']);
    expect(
      deniedBy({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' } }),
    ).toEqual(['everything']);
  });

  it('still matches rules by resource name and selectors on every object of a resource', () => {
    expect(deniedBy(configMap('plain'))).toEqual(['everything']);
    expect(deniedBy(configMap('special'))).toEqual(['named-config', 'everything']);
    expect(deniedBy(configMap('plain', { checked: 'yes' }))).toEqual(['labelled-config', 'everything']);
    expect(deniedBy(configMap('special', { checked: 'yes' }))).toEqual([
      'named-config',
      'labelled-config',
      'everything',
    ]);
    expect(deniedBy(configMap('plain'))).toEqual(['everything']);
  });
});
