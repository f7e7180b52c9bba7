import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { ObjectCheck, PodCheck } from '../../../core/config/check.js';
import { parseManifests } from '../../../core/config/input/parse-manifests.js';
import { scanConfig } from '../../../core/config/scan-config.js';
import { Suppressor } from '../../../core/config/suppression.js';
import { containersOf } from '../../../core/kube/pod-template.js';
import { Finding } from '../../../core/model/index.js';

// Checks written for the engine's tests: they exercise how the engine runs checks, not any real control.
const meta = { description: 'd', remediation: 'r', references: [] };
const everyContainer: PodCheck = {
  ...meta,
  id: 'test-every-container',
  title: 'one violation per container',
  severity: 'medium',
  pss: { level: 'restricted', control: 'test' },
  target: 'pod',
  evaluate: (pod) =>
    containersOf(pod.spec).map(({ container, field, index }) => ({
      path: [...pod.specPath, field, index, 'image'],
      evidence: `image ${container.image}`,
      container: container.name,
    })),
};
const twicePerPod: PodCheck = {
  ...meta,
  id: 'test-twice',
  title: 'two violations on the same resource',
  severity: 'high',
  target: 'pod',
  evaluate: (pod) => [
    { path: [...pod.specPath, 'containers'], evidence: 'first' },
    { path: [...pod.specPath, 'volumes'], evidence: 'second' },
  ],
};
const imageName: PodCheck = { ...everyContainer, id: 'test-image-name', pss: undefined, severity: 'low' };
const throwing: ObjectCheck = {
  ...meta,
  id: 'test-throws',
  title: 'always throws',
  severity: 'low',
  target: 'object',
  kinds: ['Service'],
  evaluate: () => {
    throw new Error('boom');
  },
};

const objects = parseManifests({
  name: 'app.yaml',
  text: readFileSync('test/fixtures/config/engine/app.yaml', 'utf8'),
}).objects;
const now = new Date('2026-11-24T10:00:00Z');
const run = (checks: Array<PodCheck | ObjectCheck>) =>
  scanConfig(objects, {
    checks,
    suppressor: new Suppressor([], now),
    contextKinds: new Set(['NetworkPolicy']),
    now,
  });

describe('scanConfig', () => {
  it('makes one finding per rule, resource and container, each pointing at its line', () => {
    const { findings } = run([everyContainer]);
    expect(findings.map((f) => [f.resource.container, f.resource.line, f.path])).toEqual([
      ['init', 19, 'spec.template.spec.initContainers[0].image'],
      ['app', 14, 'spec.template.spec.containers[0].image'],
      ['sidecar', 16, 'spec.template.spec.containers[1].image'],
    ]);
    for (const f of findings) expect(Finding.parse(f)).toEqual(f);
  });

  it('merges what one rule finds twice on one resource into one finding with both evidences', () => {
    const { findings } = run([twicePerPod]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence).toBe('first; second');
  });

  it('marks annotated findings suppressed with the reason, keeping them in the result', () => {
    const { findings } = run([imageName]);
    expect(findings).toHaveLength(3);
    expect(findings.every((f) => f.status === 'suppressed')).toBe(true);
    expect(findings[0]!.suppression).toEqual({ source: 'annotation', reason: 'vendor image, accepted' });
  });

  it('gives each pod-bearing resource its Pod Security level and other resources none', () => {
    const { resources } = run([everyContainer, throwing]);
    expect(resources).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'web',
        line: 1,
        podSecurity: { level: 'baseline' },
      }),
      expect.not.objectContaining({ podSecurity: expect.anything() }),
    ]);
    expect(run([]).resources[0]!.podSecurity).toEqual({ level: 'restricted' });
  });

  it('counts kinds no check knows, but not context kinds', () => {
    expect(run([everyContainer]).skippedKinds).toEqual({ Service: 1, ClusterPolicy: 1 });
  });

  it('counts kinds named like Object.prototype members as any other kind', () => {
    const hostile = ['constructor', '__proto__', 'toString', 'constructor'].map((kind) => ({
      object: { kind, metadata: { name: 'x' }, spec: { containers: [{ name: 'a' }] } },
    }));
    const result = scanConfig(hostile, {
      checks: [everyContainer],
      suppressor: new Suppressor([], now),
      contextKinds: new Set(),
      now,
    });
    expect(JSON.parse(JSON.stringify(result.skippedKinds))).toEqual({
      constructor: 2,
      ['__proto__']: 1,
      toString: 1,
    });
    expect(result.findings).toEqual([]);
  });

  it('turns a check that throws into a problem naming the check and object, and goes on', () => {
    const result = run([throwing, everyContainer]);
    expect(result.problems).toEqual([
      { source: 'app.yaml', line: 21, message: 'check test-throws failed on Service shop/web: boom' },
    ]);
    expect(result.findings).toHaveLength(3);
  });
});
