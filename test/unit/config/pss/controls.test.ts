import { describe, expect, it } from '@jest/globals';
import { evaluatePodSecurity, PSS_CHECKS, podSecurityLevel } from '../../../../core/config/pss/index.js';
import type { KubeObject } from '../../../../core/kube/types.js';

const deployment = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { template: { metadata: annotations ? { annotations } : {}, spec } },
});

describe('Pod Security Standards controls', () => {
  it('covers every baseline and restricted control with stable ids and levels', () => {
    expect(PSS_CHECKS.map((c) => c.id)).toEqual([
      'pss-baseline-host-process',
      'pss-baseline-host-namespaces',
      'pss-baseline-privileged',
      'pss-baseline-capabilities',
      'pss-baseline-host-path-volumes',
      'pss-baseline-host-ports',
      'pss-baseline-host-probes',
      'pss-baseline-apparmor',
      'pss-baseline-selinux',
      'pss-baseline-proc-mount',
      'pss-baseline-seccomp',
      'pss-baseline-sysctls',
      'pss-restricted-volume-types',
      'pss-restricted-privilege-escalation',
      'pss-restricted-run-as-non-root',
      'pss-restricted-run-as-user',
      'pss-restricted-seccomp',
      'pss-restricted-capabilities',
      'pss-restricted-proc-mount',
    ]);
    for (const check of PSS_CHECKS) {
      expect(check.severity).toBe(check.pss!.level === 'baseline' ? 'high' : 'medium');
      expect(check.references[0]).toMatchObject({
        kind: 'pss',
        id: expect.stringMatching(/^(baseline|restricted)\//),
      });
    }
  });

  it('points each violation at the offending field under the workload’s pod template, naming the container', () => {
    const result = evaluatePodSecurity(
      deployment({
        initContainers: [{ name: 'setup', securityContext: { privileged: true } }],
        containers: [{ name: 'app' }],
      }),
    )!;
    const privileged = result.violations.find((v) => v.check.id === 'pss-baseline-privileged')!;
    expect(privileged.violation).toEqual({
      path: ['spec', 'template', 'spec', 'initContainers', 0, 'securityContext', 'privileged'],
      evidence: 'init container "setup" must not set securityContext.privileged=true',
      container: 'setup',
    });
  });

  it('points AppArmor annotation violations at the pod template’s annotations', () => {
    const result = evaluatePodSecurity(
      deployment(
        { containers: [{ name: 'app' }] },
        { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' },
      ),
    )!;
    const apparmor = result.violations.find((v) => v.check.id === 'pss-baseline-apparmor')!;
    expect(apparmor.violation.path).toEqual([
      'spec',
      'template',
      'metadata',
      'annotations',
      'container.apparmor.security.beta.kubernetes.io/app',
    ]);
  });

  it('reports each missing restricted setting per container', () => {
    const result = evaluatePodSecurity(deployment({ containers: [{ name: 'a' }, { name: 'b' }] }))!;
    const nonRoot = result.violations.filter((v) => v.check.id === 'pss-restricted-run-as-non-root');
    expect(nonRoot.map((v) => v.violation.evidence)).toEqual([
      'pod or container "a" must set securityContext.runAsNonRoot=true',
      'pod or container "b" must set securityContext.runAsNonRoot=true',
    ]);
  });

  it('does not throw on malformed specs, and treats values that are not the allowed ones as violations', () => {
    const hostile = [
      deployment({ containers: 'x' }),
      deployment({
        containers: [null, 7, 'a', { name: 'ok', securityContext: 'nope', ports: 'p' }],
        volumes: [null, 'v'],
      }),
      deployment({ securityContext: { sysctls: 'all', seccompProfile: 'x' }, hostPID: 'yes' }),
      deployment({
        containers: [{ name: 'c', securityContext: { capabilities: { add: 'SYS_ADMIN', drop: null } } }],
      }),
    ];
    for (const object of hostile) expect(() => evaluatePodSecurity(object)).not.toThrow();
    const result = evaluatePodSecurity(hostile[2]!)!;
    expect(result.violations.map((v) => v.check.id)).toContain('pss-baseline-host-namespaces');
  });

  it('has no opinion on objects without a pod template', () => {
    expect(evaluatePodSecurity({ kind: 'Service', metadata: { name: 's' } })).toBeUndefined();
  });

  it('derives the level from the failed controls', () => {
    expect(podSecurityLevel([])).toBe('restricted');
    expect(podSecurityLevel([{ level: 'restricted' }])).toBe('baseline');
    expect(podSecurityLevel([{ level: 'restricted' }, { level: 'baseline' }])).toBe('privileged');
  });
});
