import { describe, expect, it } from '@jest/globals';
import { checkAlertAgainstCluster } from '../../../aggregator/alert-check.js';
import type { KubeView } from '../../../core/kube/kube-view.js';
import { ObjectIndex } from '../../../core/kube/object-lookup.js';
import { falcoAlertToFinding } from '../../../core/runtime/falco-alert.js';
import { ALERT_POD_IMAGE, falcoAlertPod } from '../../harness/cluster/falco-alert-pod.js';

// The cluster as DirectoryKubeView holds it: an index of objects.
const index = new ObjectIndex([
  ...falcoAlertPod('node-1'),
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } },
]);
const view: KubeView = {
  list: async (kind, options) => index.list(kind, options ?? {}),
  get: async (kind, namespace, name) => index.find(kind, namespace, name),
};

function alert(fields: Record<string, string>, hostname = 'node-1') {
  const parsed = falcoAlertToFinding({
    rule: 'Terminal shell in container',
    priority: 'Critical',
    time: '2026-12-06T08:00:00Z',
    hostname,
    output_fields: fields,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.finding;
}

const POD = { 'k8s.ns.name': 'shop', 'k8s.pod.name': 'web-7d9' };

describe('checkAlertAgainstCluster', () => {
  it('replaces the image an alert names with the digest the kubelet reported', async () => {
    const checked = await checkAlertAgainstCluster(
      view,
      alert({ ...POD, 'container.name': 'web', 'container.image.repository': 'evil.example/bait' }),
    );
    expect(checked).toMatchObject({
      ok: true,
      finding: { resource: { image: ALERT_POD_IMAGE, node: 'node-1' } },
    });
  });

  it('takes the only container when the alert names none, and no image from the alert', async () => {
    const checked = await checkAlertAgainstCluster(
      view,
      alert({ ...POD, 'container.image.repository': 'x/y' }),
    );
    expect(checked).toMatchObject({
      ok: true,
      finding: { resource: { container: 'web', image: ALERT_POD_IMAGE } },
    });
  });

  it('refuses a missing pod, a pod on another node, a container the pod does not have', async () => {
    expect(await checkAlertAgainstCluster(view, alert({ ...POD, 'k8s.pod.name': 'ghost' }))).toEqual({
      ok: false,
      error: 'pod shop/ghost does not exist',
    });
    expect(await checkAlertAgainstCluster(view, alert(POD, 'node-2'))).toEqual({
      ok: false,
      error: 'pod shop/web-7d9 runs on node node-1, not node-2',
    });
    expect(await checkAlertAgainstCluster(view, alert({ ...POD, 'container.name': 'sidecar' }))).toEqual({
      ok: false,
      error: 'pod shop/web-7d9 has no container sidecar',
    });
  });

  it('takes a node-level alert only for a node that exists, never with an image', async () => {
    const onHost = await checkAlertAgainstCluster(
      view,
      alert({ 'container.image.repository': 'evil.example/x' }),
    );
    expect(onHost.ok && onHost.finding.resource).toEqual({ kind: 'Node', name: 'node-1', node: 'node-1' });
    expect(await checkAlertAgainstCluster(view, alert({}, 'node-9'))).toEqual({
      ok: false,
      error: 'node node-9 does not exist',
    });
  });
});
