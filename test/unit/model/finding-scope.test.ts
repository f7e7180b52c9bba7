import { describe, expect, it } from '@jest/globals';
import {
  addSummaries,
  type Finding,
  findingScope,
  summarize,
  summarizeByScope,
  summaryTotal,
} from '../../../core/model/index.js';

const finding = (id: string, resource: Finding['resource'], severity: Finding['severity']): Finding =>
  ({ id, resource, severity, status: 'open' }) as Finding;

describe('finding scopes', () => {
  it('puts a finding in its namespace, else its node, else the cluster', () => {
    expect(findingScope({ namespace: 'shop', node: 'node-a' })).toBe('namespace/shop');
    expect(findingScope({ node: 'node-a' })).toBe('node/node-a');
    expect(findingScope({})).toBe('cluster');
  });

  it('counts per scope, and the scopes add up to the whole', () => {
    const findings = [
      finding('1', { kind: 'Deployment', name: 'web', namespace: 'shop' }, 'high'),
      finding('2', { kind: 'Deployment', name: 'api', namespace: 'shop' }, 'low'),
      finding('3', { kind: 'Node', name: 'node-a', node: 'node-a' }, 'critical'),
      finding('4', { kind: 'ClusterRole', name: 'x' }, 'medium'),
    ];
    const scoped = summarizeByScope(findings);
    expect(Object.keys(scoped).sort()).toEqual(['cluster', 'namespace/shop', 'node/node-a']);
    expect(scoped['namespace/shop']).toEqual(summarize(findings.slice(0, 2)));
    expect(addSummaries(Object.values(scoped))).toEqual(summarize(findings));
    expect(summaryTotal(addSummaries([scoped['namespace/shop']!, scoped.cluster!]))).toBe(3);
  });
});
