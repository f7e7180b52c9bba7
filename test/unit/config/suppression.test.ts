import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseIgnoreFile } from '../../../core/config/ignore-file.js';
import { Suppressor } from '../../../core/config/suppression.js';
import type { KubeObject } from '../../../core/kube/types.js';

const now = new Date('2026-11-24T00:00:00Z');
const rules = parseIgnoreFile('ignore.yaml', readFileSync('test/fixtures/config/ignore/ignore.yaml', 'utf8'));
const obj = (
  kind: string,
  name: string,
  namespace?: string,
  annotations?: Record<string, string>,
): KubeObject => ({
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), ...(annotations ? { annotations } : {}) },
});

describe('ignore file', () => {
  it('parses rules with resource patterns and expiry dates', () => {
    expect(rules).toHaveLength(4);
    expect(rules[3]!.expires).toBeDefined();
  });

  it('names the file and field when a rule has no reason', () => {
    expect(() => parseIgnoreFile('x.yaml', 'ignores:\n  - id: a\n')).toThrow(/^x\.yaml: ignores\.0\.reason/);
  });

  it('names the file when it is not YAML', () => {
    expect(() => parseIgnoreFile('x.yaml', 'ignores: [\n')).toThrow(/^x\.yaml: invalid YAML/);
  });
});

describe('Suppressor', () => {
  const suppressor = new Suppressor(rules, now);

  it('suppresses by an exact namespace/kind/name rule, with its reason', () => {
    expect(suppressor.suppression({ checkId: 'demo-check', object: obj('Pod', 'web', 'shop') })).toEqual({
      source: 'ignore-file',
      reason: 'accepted by the platform team (SEC-42)',
    });
  });

  it('matches * segments and cluster-scoped kind/name patterns', () => {
    expect(
      suppressor.suppression({ checkId: 'demo-check', object: obj('Deployment', 'x', 'any') })?.reason,
    ).toBe('deployments are reviewed elsewhere');
    expect(
      suppressor.suppression({ checkId: 'demo-check', object: obj('ClusterRole', 'admin-ish') }),
    ).toBeDefined();
  });

  it('does not suppress other checks or other resources', () => {
    expect(
      suppressor.suppression({ checkId: 'demo-check', object: obj('Pod', 'api', 'shop') }),
    ).toBeUndefined();
    expect(suppressor.suppression({ checkId: 'third', object: obj('Pod', 'web', 'shop') })).toBeUndefined();
  });

  it('ignores expired rules and lists them so they can be reported', () => {
    expect(
      suppressor.suppression({ checkId: 'other-check', object: obj('Pod', 'web', 'shop') }),
    ).toBeUndefined();
    expect(Suppressor.expired(rules, now).map((r) => r.id)).toEqual(['other-check']);
  });

  it('suppresses by annotation on the object or on the pod template', () => {
    const annotated = obj('Deployment', 'web', 'shop', { 'ignore.seco.dev/third': 'runs as root by design' });
    expect(suppressor.suppression({ checkId: 'third', object: annotated })).toEqual({
      source: 'annotation',
      reason: 'runs as root by design',
    });
    expect(
      suppressor.suppression({
        checkId: 'third',
        object: obj('Deployment', 'web', 'shop'),
        podAnnotations: { 'ignore.seco.dev/third': '' },
      }),
    ).toEqual({ source: 'annotation', reason: 'no reason given' });
  });

  it('says when nothing can suppress a finding on an object, so it is asked once per object', () => {
    const none = new Suppressor([], now);
    expect(none.mayApply(obj('Pod', 'web', 'shop'))).toBe(false);
    expect(none.mayApply(obj('Pod', 'web', 'shop', { 'seco.dev/severity': 'low' }), { other: 'x' })).toBe(
      false,
    );
    expect(none.mayApply(obj('Pod', 'web', 'shop', { 'ignore.seco.dev/third': '' }))).toBe(true);
    expect(none.mayApply(obj('Pod', 'web', 'shop'), { 'ignore.seco.dev/third': 'x' })).toBe(true);
    const odd = { kind: 'Pod', metadata: { name: 'x', annotations: 'not a map' } } as unknown as KubeObject;
    expect(none.mayApply(odd)).toBe(false);
    expect(suppressor.mayApply(obj('Pod', 'web', 'shop'))).toBe(true);
  });
});
