import { describe, expect, it } from '@jest/globals';
import { evaluatePodSecurity, PSS_CHECKS } from '../../../../core/config/pss/index.js';
import type { KubeObject } from '../../../../core/kube/types.js';

const deployment = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { template: { metadata: annotations ? { annotations } : {}, spec } },
});

const cronJob = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly' },
  spec: { jobTemplate: { spec: { template: { spec } } } },
});

/** The violations one check found, as plain data. */
const violationsOf = (object: KubeObject, id: string) =>
  evaluatePodSecurity(object)
    .violations.filter((v) => v.check.id === id)
    .map((v) => v.violation);

describe('Pod Security Standards controls', () => {
  it('covers every baseline and restricted control of the latest policy, baseline first', () => {
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
      'pss-baseline-ulimits',
      'pss-restricted-volume-types',
      'pss-restricted-privilege-escalation',
      'pss-restricted-run-as-non-root',
      'pss-restricted-run-as-user',
      'pss-restricted-seccomp',
      'pss-restricted-capabilities',
      'pss-restricted-proc-mount',
      'pss-restricted-cgroup-options',
    ]);
  });

  it('gives baseline controls high and restricted controls medium severity, with a PSS reference', () => {
    for (const check of PSS_CHECKS) {
      const level = check.pss!.level;
      expect(check.target).toBe('pod');
      expect(check.severity).toBe(level === 'baseline' ? 'high' : 'medium');
      expect(check.references).toEqual([
        {
          kind: 'pss',
          id: check.id.replace(/^pss-(baseline|restricted)-/, `${level}/`),
          url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
        },
      ]);
      expect(check.remediation.length).toBeGreaterThan(10);
    }
    expect(PSS_CHECKS.find((c) => c.id === 'pss-baseline-privileged')!.references[0]!.id).toBe(
      'baseline/privileged',
    );
  });

  it('points each violation at the offending field under the workload’s pod template, naming the container', () => {
    const result = evaluatePodSecurity(
      deployment({
        initContainers: [{ name: 'setup', securityContext: { privileged: true } }],
        containers: [{ name: 'app' }],
      }),
    );
    const privileged = result.violations.find((v) => v.check.id === 'pss-baseline-privileged')!;
    expect(privileged.violation).toEqual({
      path: ['spec', 'template', 'spec', 'initContainers', 0, 'securityContext', 'privileged'],
      evidence: 'init container "setup" must not set securityContext.privileged=true',
      container: 'setup',
    });
  });

  it('follows a CronJob’s pod template path for pod-level and ephemeral container violations', () => {
    const object = cronJob({
      hostPID: true,
      containers: [{ name: 'app' }],
      ephemeralContainers: [{ name: 'debug', ports: [{ hostPort: 22 }] }],
    });
    const specPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    expect(violationsOf(object, 'pss-baseline-host-namespaces')).toEqual([
      { path: [...specPath, 'hostPID'], evidence: 'pod must not set hostPID=true' },
    ]);
    expect(violationsOf(object, 'pss-baseline-host-ports')).toEqual([
      {
        path: [...specPath, 'ephemeralContainers', 0, 'ports', 0, 'hostPort'],
        evidence: 'ephemeral container "debug" must not use hostPort 22',
        container: 'debug',
      },
    ]);
  });

  it('points AppArmor annotation violations at the pod template’s annotations', () => {
    const key = 'container.apparmor.security.beta.kubernetes.io/app';
    const [violation] = violationsOf(
      deployment({ containers: [{ name: 'app' }] }, { [key]: 'unconfined' }),
      'pss-baseline-apparmor',
    );
    expect(violation).toEqual({
      path: ['spec', 'template', 'metadata', 'annotations', key],
      evidence: `annotation ${key}="unconfined" must be "runtime/default", "localhost/*" or empty`,
    });
  });

  it('reports each missing restricted setting per container', () => {
    const object = deployment({ containers: [{ name: 'a' }, { name: 'b' }] });
    expect(violationsOf(object, 'pss-restricted-run-as-non-root').map((v) => v.evidence)).toEqual([
      'pod or container "a" must set securityContext.runAsNonRoot=true',
      'pod or container "b" must set securityContext.runAsNonRoot=true',
    ]);
    expect(violationsOf(object, 'pss-restricted-seccomp').map((v) => v.evidence)).toEqual([
      'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
      'pod or container "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    ]);
    // A missing field is pointed at by its own path, so the finding lands on the nearest line that exists.
    expect(violationsOf(object, 'pss-restricted-run-as-non-root')[1]!.path).toEqual([
      ...['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'runAsNonRoot'],
    ]);
  });

  it('reports an explicit runAsNonRoot=false at pod level even when every container sets true', () => {
    const object = deployment({
      securityContext: { runAsNonRoot: false },
      containers: [{ name: 'a', securityContext: { runAsNonRoot: true } }],
    });
    expect(violationsOf(object, 'pss-restricted-run-as-non-root')).toEqual([
      {
        path: ['spec', 'template', 'spec', 'securityContext', 'runAsNonRoot'],
        evidence: 'pod must not set securityContext.runAsNonRoot=false',
      },
    ]);
  });

  it('reports one violation per forbidden capability, sysctl and volume, at its index', () => {
    const object = deployment({
      securityContext: {
        sysctls: [
          { name: 'kernel.msgmax', value: '1' },
          { name: 'net.ipv4.tcp_syncookies', value: '1' },
          { name: 'vm.swappiness', value: '1' },
        ],
      },
      containers: [
        { name: 'a', securityContext: { capabilities: { add: ['CHOWN', 'SYS_ADMIN', 'NET_RAW'] } } },
      ],
      volumes: [
        { name: 'ok', emptyDir: {} },
        { name: 'n', nfs: { server: 's', path: '/' } },
      ],
    });
    const spec = ['spec', 'template', 'spec'];
    expect(violationsOf(object, 'pss-baseline-capabilities').map((v) => v.path)).toEqual([
      [...spec, 'containers', 0, 'securityContext', 'capabilities', 'add', 1],
      [...spec, 'containers', 0, 'securityContext', 'capabilities', 'add', 2],
    ]);
    expect(violationsOf(object, 'pss-restricted-capabilities').map((v) => v.evidence)).toEqual([
      'container "a" must set securityContext.capabilities.drop=["ALL"]',
      'container "a" must not include "CHOWN" in securityContext.capabilities.add',
      'container "a" must not include "SYS_ADMIN" in securityContext.capabilities.add',
      'container "a" must not include "NET_RAW" in securityContext.capabilities.add',
    ]);
    expect(violationsOf(object, 'pss-baseline-sysctls')).toEqual([
      {
        path: [...spec, 'securityContext', 'sysctls', 0],
        evidence: 'pod must not set forbidden sysctl "kernel.msgmax"',
      },
      {
        path: [...spec, 'securityContext', 'sysctls', 2],
        evidence: 'pod must not set forbidden sysctl "vm.swappiness"',
      },
    ]);
    expect(violationsOf(object, 'pss-restricted-volume-types')).toEqual([
      { path: [...spec, 'volumes', 1], evidence: 'volume "n" has restricted type nfs' },
    ]);
  });

  it('says in the evidence when a value has the wrong type', () => {
    const object = deployment({
      hostNetwork: 'true',
      containers: [
        {
          name: 'a',
          securityContext: { privileged: 'true', allowPrivilegeEscalation: 'false', runAsNonRoot: 'yes' },
        },
      ],
    });
    expect(violationsOf(object, 'pss-baseline-host-namespaces').map((v) => v.evidence)).toEqual([
      'pod must not set hostNetwork="true" (a string, not a boolean): only false or unset is allowed',
    ]);
    expect(violationsOf(object, 'pss-baseline-privileged').map((v) => v.evidence)).toEqual([
      'container "a" must not set securityContext.privileged="true" (a string, not a boolean): only false or unset is allowed',
    ]);
    expect(violationsOf(object, 'pss-restricted-privilege-escalation').map((v) => v.evidence)).toEqual([
      'container "a" must set securityContext.allowPrivilegeEscalation=false, not "false" (a string, not a boolean)',
    ]);
    expect(violationsOf(object, 'pss-restricted-run-as-non-root').map((v) => v.evidence)).toEqual([
      'container "a" must set securityContext.runAsNonRoot=true, not "yes" (a string, not a boolean)',
    ]);
  });

  it('names the forbidden seccomp, AppArmor and SELinux values', () => {
    const object = deployment({
      securityContext: {
        seccompProfile: { type: 'Unconfined' },
        seLinuxOptions: { type: 'spc_t', user: 'root' },
      },
      containers: [{ name: 'a', securityContext: { appArmorProfile: {}, procMount: 'Unmasked' } }],
    });
    expect(violationsOf(object, 'pss-baseline-seccomp').map((v) => v.evidence)).toEqual([
      'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    ]);
    expect(violationsOf(object, 'pss-baseline-apparmor').map((v) => v.evidence)).toEqual([
      'container "a" must not set AppArmor profile type to ""',
    ]);
    expect(violationsOf(object, 'pss-baseline-selinux').map((v) => v.evidence)).toEqual([
      'pod set forbidden securityContext.seLinuxOptions: type "spc_t"; user "root" may not be set',
    ]);
    expect(violationsOf(object, 'pss-baseline-proc-mount').map((v) => v.evidence)).toEqual([
      'container "a" must not set securityContext.procMount to "Unmasked"',
    ]);
  });

  it('flags probe and lifecycle hosts at every handler of every container kind', () => {
    const object = deployment({
      containers: [
        {
          name: 'a',
          livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } },
          lifecycle: {
            postStart: { tcpSocket: { host: 'node', port: 22 } },
            preStop: { httpGet: { host: '' } },
          },
        },
      ],
      initContainers: [{ name: 'i', startupProbe: { tcpSocket: { host: 'metadata', port: 80 } } }],
    });
    expect(violationsOf(object, 'pss-baseline-host-probes').map((v) => v.evidence)).toEqual([
      'init container "i" must not set startupProbe.tcpSocket.host="metadata"',
      'container "a" must not set livenessProbe.httpGet.host="10.0.0.1"',
      'container "a" must not set lifecycle.postStart.tcpSocket.host="node"',
    ]);
  });

  it('flags ulimits on every container kind, pointing at the field', () => {
    const object = deployment({
      containers: [{ name: 'a', securityContext: { ulimits: [{ name: 'nofile', soft: 1, hard: 2 }] } }],
      initContainers: [{ name: 'i', securityContext: { ulimits: null } }],
      ephemeralContainers: [{ name: 'e', securityContext: { ulimits: [] } }],
    });
    expect(violationsOf(object, 'pss-baseline-ulimits')).toEqual([
      {
        path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'ulimits'],
        evidence: 'container "a" must not set securityContext.ulimits',
        container: 'a',
      },
      {
        path: ['spec', 'template', 'spec', 'ephemeralContainers', 0, 'securityContext', 'ulimits'],
        evidence: 'ephemeral container "e" must not set securityContext.ulimits',
        container: 'e',
      },
    ]);
  });

  it('allows only a ReadOnly or unset cgroup mount mode, and names any other', () => {
    const object = deployment({
      containers: [
        { name: 'w', securityContext: { cgroupOptions: { mountMode: 'Writable' } } },
        { name: 'r', securityContext: { cgroupOptions: { mountMode: 'ReadOnly' } } },
        { name: 'n', securityContext: { cgroupOptions: { mountMode: 1 } } },
        { name: 's', securityContext: { cgroupOptions: 'Writable' } },
      ],
      initContainers: [{ name: 'i', securityContext: { cgroupOptions: {} } }],
    });
    expect(violationsOf(object, 'pss-restricted-cgroup-options')).toEqual([
      {
        path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'cgroupOptions', 'mountMode'],
        evidence:
          'container "w" must not set securityContext.cgroupOptions.mountMode to "Writable": only "ReadOnly" or unset',
        container: 'w',
      },
      {
        path: ['spec', 'template', 'spec', 'containers', 2, 'securityContext', 'cgroupOptions', 'mountMode'],
        evidence:
          'container "n" must not set securityContext.cgroupOptions.mountMode to 1 (a number, not a string): only "ReadOnly" or unset',
        container: 'n',
      },
      {
        path: ['spec', 'template', 'spec', 'containers', 3, 'securityContext', 'cgroupOptions'],
        evidence:
          'container "s" must not set securityContext.cgroupOptions="Writable" (a string, not a object)',
        container: 's',
      },
    ]);
  });

  it('starts every violation path with the pod spec path and never throws on hostile specs', () => {
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
      deployment({ securityContext: [], os: 'windows', hostUsers: 'false', containers: [{ name: 5 }] }),
      deployment({
        containers: [{ securityContext: { seLinuxOptions: [], appArmorProfile: 'Unconfined' } }],
      }),
    ];
    for (const object of hostile) {
      const result = evaluatePodSecurity(object);
      for (const { violation } of result.violations) {
        expect(violation.path.slice(0, 3)).toEqual(['spec', 'template', 'spec']);
      }
    }
    const ids = (i: number) => evaluatePodSecurity(hostile[i]!).violations.map((v) => v.check.id);
    expect(ids(2)).toEqual(
      expect.arrayContaining([
        'pss-baseline-host-namespaces',
        'pss-baseline-sysctls',
        'pss-baseline-seccomp',
      ]),
    );
    expect(ids(3)).toEqual(
      expect.arrayContaining(['pss-baseline-capabilities', 'pss-restricted-capabilities']),
    );
    expect(ids(5)).toEqual(expect.arrayContaining(['pss-baseline-selinux', 'pss-baseline-apparmor']));
  });

  it('names a container only when it has a string name', () => {
    const result = evaluatePodSecurity(
      deployment({ containers: [{ name: 5, securityContext: { privileged: true } }] }),
    );
    const [violation] = result.violations.filter((v) => v.check.id === 'pss-baseline-privileged');
    expect(violation!.violation.container).toBeUndefined();
    expect(violation!.violation.evidence).toBe('container "5" must not set securityContext.privileged=true');
  });
});
