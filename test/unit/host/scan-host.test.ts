import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HOST_CHECKS } from '../../../core/host/checks/index.js';
import { scanHost } from '../../../core/host/scan-host.js';
import { Finding } from '../../../core/model/index.js';
import { type BuiltHostRoot, buildHostRoot } from '../../harness/host/build-host-root.js';

let hardened: BuiltHostRoot;
let misconfigured: BuiltHostRoot;
let empty: BuiltHostRoot;

beforeAll(() => {
  hardened = buildHostRoot('hardened');
  misconfigured = buildHostRoot('misconfigured');
  empty = buildHostRoot('empty');
});
afterAll(() => {
  for (const root of [hardened, misconfigured, empty]) root.remove();
});

const statuses = async (root: BuiltHostRoot) => {
  const result = await scanHost({
    hostRoot: root.hostRoot,
    procRoot: root.procRoot,
    now: new Date('2026-11-24T00:00:00Z'),
  });
  return { result, status: Object.fromEntries(result.outcomes.map((o) => [o.id, o.status])) };
};

describe('scanHost on a hardened kubeadm node (kubelet found through its systemd unit)', () => {
  it('passes every check that applies, and names the node from /etc/hostname', async () => {
    const { result } = await statuses(hardened);
    expect(result.node).toBe('node-a');
    expect(result.outcomes.filter((o) => o.status === 'fail')).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('says not applicable, rather than failing, where the file or component is absent', async () => {
    const { status } = await statuses(hardened);
    expect(status['kube-proxy-kubeconfig-permissions']).toBe('not-applicable');
    expect(status['kube-proxy-metrics-bind-address']).toBe('not-applicable');
    expect(status['kubelet-service-file-permissions']).toBe('pass');
    expect(status['kubelet-config-file-ownership']).toBe('pass');
  });

  it('follows sshd_config Include files, where the first value wins', async () => {
    const { status } = await statuses(hardened);
    expect(status['sshd-permit-root-login']).toBe('pass');
    expect(status['sshd-password-authentication']).toBe('pass');
  });
});

describe('scanHost on a misconfigured node (kubelet found as a running process)', () => {
  it('fails the kubelet settings, with flags overriding the config file', async () => {
    const { status, result } = await statuses(misconfigured);
    for (const id of [
      'kubelet-anonymous-auth',
      'kubelet-authorization-mode',
      'kubelet-client-ca-file',
      'kubelet-read-only-port',
      'kubelet-streaming-idle-timeout',
      'kubelet-iptables-util-chains',
      'kubelet-hostname-override',
      'kubelet-tls-cert',
      'kubelet-rotate-certificates',
      'kubelet-rotate-server-certificates',
      'kubelet-tls-cipher-suites',
      'kubelet-pod-pids-limit',
      'kubelet-protect-kernel-defaults',
      'kube-proxy-metrics-bind-address',
    ]) {
      expect([id, status[id]]).toEqual([id, 'fail']);
    }
    const rotate = result.findings.find((f) => f.ruleId === 'kubelet-rotate-certificates')!;
    expect(rotate.evidence).toBe('--rotate-certificates is "false" (from command line)');
    const anonymous = result.findings.find((f) => f.ruleId === 'kubelet-anonymous-auth')!;
    expect(anonymous).toMatchObject({
      scanner: 'host',
      severity: 'critical',
      title: '4.2.1 Kubelet allows anonymous requests',
      resource: { kind: 'Node', name: 'node-b', node: 'node-b', file: '/var/lib/kubelet/config.yaml' },
      references: [expect.objectContaining({ kind: 'cis', id: '4.2.1' })],
    });
    for (const f of result.findings) expect(Finding.parse(f)).toEqual(f);
  });

  it('fails loose file permissions and non-root owners, naming the file and mode', async () => {
    const { status, result } = await statuses(misconfigured);
    expect(status['kubelet-kubeconfig-permissions']).toBe('fail');
    expect(status['kubelet-kubeconfig-ownership']).toBe('fail');
    expect(status['kube-proxy-kubeconfig-permissions']).toBe('fail');
    expect(status['kubelet-config-file-permissions']).toBe('fail');
    expect(status['kubelet-client-ca-permissions']).toBe('fail');
    expect(status['pki-key-permissions']).toBe('fail');
    expect(status['kubelet-service-file-permissions']).toBe('not-applicable');
    expect(result.findings.find((f) => f.ruleId === 'kubelet-kubeconfig-ownership')!.evidence).toBe(
      '/etc/kubernetes/kubelet.conf is owned by ubuntu:ubuntu, not root:root',
    );
    expect(result.findings.find((f) => f.ruleId === 'pki-key-permissions')!.evidence).toBe(
      '/etc/kubernetes/pki/apiserver.key has mode 640, more permissive than 600',
    );
  });

  it('reads live sysctls and sshd settings, ignoring Match blocks for global values', async () => {
    const { status } = await statuses(misconfigured);
    expect(status['sysctl-aslr']).toBe('fail');
    expect(status['sysctl-unprivileged-bpf']).toBe('fail');
    expect(status['sysctl-protected-hardlinks']).toBe('pass');
    expect(status['sysctl-tcp-syncookies']).toBe('pass');
    expect(status['sshd-permit-root-login']).toBe('fail');
    expect(status['sshd-x11-forwarding']).toBe('fail');
    expect(status['sshd-permit-empty-passwords']).toBe('pass');
    expect(status['sshd-max-auth-tries']).toBe('fail');
  });

  it('gives the same finding ids on a rescan', async () => {
    const a = (await statuses(misconfigured)).result.findings.map((f) => f.id);
    const b = (await statuses(misconfigured)).result.findings.map((f) => f.id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });
});

describe('scanHost on a bare machine', () => {
  it('reports every check not applicable', async () => {
    const { result } = await statuses(empty);
    expect(result.outcomes).toHaveLength(HOST_CHECKS.length);
    expect(result.outcomes.every((o) => o.status === 'not-applicable')).toBe(true);
  });
});

describe('scanHost under a job watch', () => {
  it('reports a step per check and stops between checks once its signal is aborted', async () => {
    let steps = 0;
    await scanHost({ hostRoot: hardened.hostRoot, procRoot: hardened.procRoot, onStep: () => steps++ });
    expect(steps).toBe(HOST_CHECKS.length);
    const controller = new AbortController();
    let after = 0;
    const scan = scanHost({
      hostRoot: hardened.hostRoot,
      procRoot: hardened.procRoot,
      signal: controller.signal,
      onStep: () => {
        if (++after === 3) controller.abort(new Error('no progress for 2s'));
      },
    });
    await expect(scan).rejects.toThrow('no progress for 2s');
    expect(after).toBe(3);
  });
});
