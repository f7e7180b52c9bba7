import type { KubeObject } from '../../../core/kube/types.js';

/** The image the cluster says web-7d9 runs: not the one test/fixtures/runtime/falco-alert.json names. */
export const ALERT_POD_IMAGE = `ghcr.io/acme/web@sha256:${'ab'.repeat(32)}`;

/**
 * The pod test/fixtures/runtime/falco-alert.json is about (shop/web-7d9, container `web`), scheduled on
 * `node`, running ALERT_POD_IMAGE: alerts are checked against the cluster, so a test that posts the
 * fixture puts this pod in its cluster.
 */
export function falcoAlertPod(node: string): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-7d9', namespace: 'shop', uid: '5b0e4a7c-0d8e-4c38-9d0f-2f6c1e1f0a11' },
      spec: { nodeName: node, containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.4.2' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'web',
            image: 'ghcr.io/acme/web:1.4.2',
            imageID: `docker-pullable://${ALERT_POD_IMAGE}`,
            containerID: `containerd://${'3f2a9c1b7d4e'.padEnd(64, '0')}`,
            ready: true,
          },
        ],
      },
    },
  ];
}
