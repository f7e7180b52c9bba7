import { describe, expect, it } from '@jest/globals';
import type { ConfigCheck, Violation } from '../../../core/config/check.js';
import { FindingCollector, type FindingMeta } from '../../../core/config/finding-collector.js';
import { Suppressor } from '../../../core/config/suppression.js';
import type { KubeObject } from '../../../core/kube/types.js';

const seenAt = '2026-12-06T00:00:00.000Z';
const collector = () => new FindingCollector({ suppressor: new Suppressor([], new Date(seenAt)), seenAt });

const meta = (id: string, severity: ConfigCheck['severity'] = 'medium'): FindingMeta => ({
  id,
  title: `${id} title`,
  severity,
  description: 'why',
  remediation: 'fix',
  references: [],
});

const pod = (name: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'app', ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'web' }, { name: 'side' }] },
});

const at = (evidence: string, container?: string, severity?: Violation['severity']): Violation => ({
  path: ['spec', 'containers', 0, 'securityContext'],
  evidence,
  ...(container ? { container } : {}),
  ...(severity ? { severity } : {}),
});

describe('FindingCollector', () => {
  it('makes one finding per rule and resource, listing each evidence once in the order seen', () => {
    const c = collector();
    c.startObject({ object: pod('a'), file: 'a.yaml', line: 1, locate: () => 7 }, undefined);
    c.add(meta('r1'), at('first'));
    c.add(meta('r1'), at('second'));
    c.add(meta('r1'), at('first'));
    c.add(meta('r1'), at('third; second'));
    c.add(meta('r1'), at('web only', 'web'));
    const findings = c.findings();
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      ruleId: 'r1',
      evidence: 'first; second; third; second',
      path: 'spec.containers[0].securityContext',
      resource: { namespace: 'app', kind: 'Pod', name: 'a', file: 'a.yaml', line: 7 },
      firstSeen: seenAt,
      status: 'open',
    });
    expect(findings[1]).toMatchObject({ evidence: 'web only', resource: { container: 'web' } });
  });

  it('skips an evidence that is already one of the "; "-separated parts', () => {
    const c = collector();
    c.startObject({ object: pod('a') }, undefined);
    c.add(meta('r1'), at('x; y'));
    c.add(meta('r1'), at('y'));
    expect(c.findings()[0]?.evidence).toBe('x; y');
  });

  it('weighs a merged finding as its worst violation, whether the check or the violation says it', () => {
    const c = collector();
    c.startObject({ object: pod('a') }, undefined);
    c.add(meta('rbac', 'low'), at('user', undefined, 'medium'));
    c.add(meta('rbac', 'low'), at('sa', undefined, 'critical'));
    c.add(meta('rbac', 'low'), at('group', undefined, 'high'));
    c.add(meta('vap', 'low'), at('one'));
    c.add(meta('vap', 'high'), at('two'));
    const [rbac, vap] = c.findings();
    expect(rbac?.severity).toBe('critical');
    expect(vap?.severity).toBe('high');
  });

  it('merges the same resource met again in another object (a manifest given twice)', () => {
    const c = collector();
    c.startObject({ object: pod('a'), file: 'one.yaml', line: 3 }, undefined);
    c.add(meta('r1'), at('from one'));
    c.startObject({ object: pod('a'), file: 'two.yaml', line: 9 }, undefined);
    c.add(meta('r1'), at('from two'));
    const findings = c.findings();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ evidence: 'from one; from two', resource: { file: 'one.yaml' } });
  });

  it('suppresses by the annotation on the object', () => {
    const c = collector();
    c.startObject({ object: pod('a', { 'ignore.seco.dev/r1': 'accepted' }) }, undefined);
    c.add(meta('r1'), at('x'));
    expect(c.findings()[0]).toMatchObject({
      status: 'suppressed',
      suppression: { source: 'annotation', reason: 'accepted' },
    });
  });

  it('keeps one copy of a repeated evidence and path', () => {
    const c = collector();
    for (const name of ['a', 'b']) {
      c.startObject({ object: pod(name) }, undefined);
      c.add(meta('r1'), at(['container ', JSON.stringify('web'), ' must not run as root'].join('')));
    }
    const [a, b] = c.findings();
    expect(a?.evidence).toBe('container "web" must not run as root');
    expect(a?.id).not.toBe(b?.id);
    expect(a?.evidence).toBe(b?.evidence);
  });

  it('merges by rule and container on a resource with more findings than its list holds', () => {
    const c = collector();
    c.startObject({ object: pod('big') }, undefined);
    for (let i = 0; i < 300; i++)
      c.add(meta(`r${i % 150}`), at(`first ${i}`, i % 2 === 0 ? 'web' : undefined));
    c.startObject({ object: pod('big') }, undefined);
    c.add(meta('r0'), at('again', 'web'));
    c.add(meta('r1'), at('again'));
    c.add(meta('r1'), at('other container', 'side'));
    const findings = c.findings();
    expect(findings).toHaveLength(151);
    expect(findings[0]).toMatchObject({ ruleId: 'r0', evidence: 'first 0; first 150; again' });
    expect(findings[1]).toMatchObject({ ruleId: 'r1', evidence: 'first 1; first 151; again' });
    expect(findings[1]?.resource.container).toBeUndefined();
    expect(findings[150]).toMatchObject({ ruleId: 'r1', resource: { container: 'side' } });
  });

  it("lists a finding's resource fields in one order, whichever are there", () => {
    const keysOf = (cluster: string | undefined, object: KubeObject, container?: string, line?: number) => {
      const c = new FindingCollector({
        suppressor: new Suppressor([], new Date(seenAt)),
        seenAt,
        ...(cluster ? { cluster } : {}),
      });
      c.startObject({ object, file: 'a.yaml', ...(line ? { locate: () => line } : {}) }, undefined);
      c.add(meta('r1'), at('x', container));
      return Object.keys(c.findings()[0]!.resource);
    };
    // fingerprint order: cluster, namespace, kind, name, container; then where it was found.
    const all = ['cluster', 'namespace', 'kind', 'name', 'container', 'file', 'line'];
    expect(keysOf(undefined, pod('a'), 'web', 4)).toEqual(all.slice(1));
    expect(keysOf(undefined, pod('a'), undefined, 4)).toEqual(
      all.filter((k) => k !== 'cluster' && k !== 'container'),
    );
    expect(keysOf('prod', pod('a'), 'web', 4)).toEqual(all);
    const clusterScoped: KubeObject = { kind: 'ClusterRole', metadata: { name: 'r' } };
    expect(keysOf(undefined, clusterScoped, undefined, 2)).toEqual(['kind', 'name', 'file', 'line']);
    expect(keysOf(undefined, pod('a'), 'web')).toEqual(['namespace', 'kind', 'name', 'container', 'file']);
  });
});
