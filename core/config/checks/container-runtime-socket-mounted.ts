import { posix } from 'node:path';
import type { PodCheck, Violation } from '../check.js';
import { mitre } from './references.js';

// The container runtimes' API sockets (Docker, containerd, CRI-O, cri-dockerd, Podman). Whoever can connect
// to one can start a privileged container on the node: root on the node, whatever the pod's own settings.
const SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/cri-dockerd.sock',
  '/run/podman/podman.sock',
  '/var/run/podman/podman.sock',
  '/run/k3s/containerd/containerd.sock',
];

/**
 * The socket a hostPath exposes, if any: the socket itself, or a directory that holds one (`/`,
 * `/var/run`, `/run/containerd`…). A read-only mount does not help: connecting to a Unix socket is not
 * a write to the filesystem, so `readOnly: true` still lets a process talk to the runtime.
 */
function exposedSocket(hostPath: string): string | undefined {
  const path = posix.normalize(`/${hostPath}`).replace(/\/+$/, '') || '/';
  return SOCKETS.find((socket) => socket === path || socket.startsWith(path === '/' ? '/' : `${path}/`));
}

export const containerRuntimeSocketMounted: PodCheck = {
  target: 'pod',
  id: 'container-runtime-socket-mounted',
  title: 'Container runtime socket mounted',
  severity: 'critical',
  description:
    "A hostPath volume exposes the node's container runtime socket (Docker, containerd, CRI-O, Podman). Any process in the pod that can connect to it can start a privileged container on the node: full control of the node and of every pod on it. readOnly: true does not prevent connecting.",
  remediation:
    'Remove the hostPath volume. Tools that need container metadata should use the Kubernetes API; build images with a daemonless builder (BuildKit rootless, Kaniko, Buildah) instead of the node’s Docker.',
  references: [
    mitre('T1610'),
    mitre('T1611'),
    {
      kind: 'url',
      id: 'Kubernetes documentation: hostPath volumes',
      url: 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    },
  ],
  evaluate(pod) {
    const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    const found: Violation[] = [];
    volumes.forEach((volume, index) => {
      const path = volume?.hostPath?.path;
      if (typeof path !== 'string' || path === '') return;
      const socket = exposedSocket(path);
      if (!socket) return;
      found.push({
        path: [...pod.specPath, 'volumes', index, 'hostPath', 'path'],
        evidence:
          socket === posix.normalize(path)
            ? `volume ${JSON.stringify(String(volume.name ?? index))} mounts the runtime socket ${path}`
            : `volume ${JSON.stringify(String(volume.name ?? index))} mounts ${path}, which holds the runtime socket ${socket}`,
      });
    });
    return found;
  },
};
