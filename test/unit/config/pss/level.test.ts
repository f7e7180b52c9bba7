import { describe, expect, it } from '@jest/globals';
import { evaluatePodSecurity, PSS_CHECKS, podSecurityLevel } from '../../../../core/config/pss/index.js';

describe('podSecurityLevel', () => {
  it('meets restricted when no control failed', () => {
    expect(podSecurityLevel([])).toBe('restricted');
  });

  it('meets only baseline when restricted controls failed', () => {
    expect(podSecurityLevel([{ level: 'restricted' }])).toBe('baseline');
    expect(podSecurityLevel([{ level: 'restricted' }, { level: 'restricted' }])).toBe('baseline');
  });

  it('meets only privileged when any baseline control failed, wherever it comes in the list', () => {
    expect(podSecurityLevel([{ level: 'baseline' }])).toBe('privileged');
    expect(podSecurityLevel([{ level: 'restricted' }, { level: 'baseline' }])).toBe('privileged');
    expect(podSecurityLevel([{ level: 'baseline' }, { level: 'restricted' }])).toBe('privileged');
  });

  it('accepts any iterable, such as a generator or the checks’ own pss metadata', () => {
    function* failed() {
      yield { level: 'restricted' as const };
    }
    expect(podSecurityLevel(failed())).toBe('baseline');
    expect(podSecurityLevel(new Set([{ level: 'restricted' as const }]))).toBe('baseline');
    expect(podSecurityLevel(PSS_CHECKS.map((c) => c.pss!))).toBe('privileged');
  });
});

describe('evaluatePodSecurity', () => {
  it('gives objects without a pod template no violations and no pod', () => {
    for (const object of [
      { kind: 'Service', metadata: { name: 's' } },
      { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: 'x' } },
      { kind: 'Pod', metadata: { name: 'p' }, spec: null },
    ]) {
      expect(evaluatePodSecurity(object)).toEqual({ level: 'restricted', violations: [], pod: undefined });
    }
  });

  it('returns the level derived from the controls that fired', () => {
    const result = evaluatePodSecurity({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    });
    expect(result.level).toBe('baseline');
    expect(result.pod?.specPath).toEqual(['spec']);
    expect(podSecurityLevel(result.violations.map((v) => v.check.pss!))).toBe(result.level);
  });
});
