import { readFile } from 'node:fs/promises';
import { describe, expect, test } from '@jest/globals';
import { containerFromCgroup } from '../../../core/runtime/cgroup-container.js';

const ID = 'a'.repeat(32) + 'b'.repeat(32);
const UID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('containerFromCgroup', () => {
  test.each([
    ['kubelet cgroupfs v2', `0::/kubepods/besteffort/pod${UID}/${ID}`, 'unknown', UID],
    [
      'containerd systemd v2',
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replace(/-/g, '_')}.slice/cri-containerd-${ID}.scope`,
      'containerd',
      UID,
    ],
    [
      'CRI-O systemd v1',
      `11:memory:/kubepods.slice/kubepods-pod${UID.replace(/-/g, '_')}.slice/crio-${ID}.scope\n1:name=systemd:/x`,
      'cri-o',
      UID,
    ],
    ['Docker systemd v2', `0::/system.slice/docker-${ID}.scope`, 'docker', undefined],
    ['Podman v2', `0::/machine.slice/libpod-${ID}.scope/container`, 'podman', undefined],
    ['Podman cgroupfs', `0::/libpod_parent/libpod-${ID}`, 'podman', undefined],
  ])('%s', (_, text, runtime, podUid) => {
    expect(containerFromCgroup(text)).toEqual({ id: ID, runtime, ...(podUid ? { podUid } : {}) });
  });

  test('Docker cgroup v1 from a real file layout', async () => {
    const text = await readFile(
      new URL('../../fixtures/runtime/cgroup-v1-docker.txt', import.meta.url),
      'utf8',
    );
    expect(containerFromCgroup(text)?.runtime).toBe('docker');
  });

  test.each([
    ['host', '0::/user.slice/user-0.slice/session-1.scope'],
    ['CRI-O conmon is not the container', `0::/kubepods.slice/crio-conmon-${ID}.scope`],
    ['garbage', '\u0000\u0001 not a cgroup file'],
    ['empty', ''],
    ['short id', '0::/docker/abc123'],
  ])('%s gives no container', (_, text) => {
    expect(containerFromCgroup(text)).toBeUndefined();
  });
});
