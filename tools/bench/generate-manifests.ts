import { stringify } from 'yaml';
import type { KubeObject } from '../../core/kube/types.js';

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same manifests. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'] as const;

function container(rnd: () => number, name: string): Record<string, unknown> {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  const secure = rnd() < 0.5;
  return {
    name,
    image: pick([
      'nginx:latest',
      'redis:7.2',
      `ghcr.io/acme/api:1.4.2@sha256:${'ab'.repeat(32)}`,
      'busybox',
      'localhost:5000/tool:0.1',
    ]),
    ...(rnd() < 0.6
      ? {
          resources: {
            requests: { cpu: '100m', memory: '64Mi' },
            ...(rnd() < 0.5 ? { limits: { cpu: '1', memory: '256Mi' } } : {}),
          },
        }
      : {}),
    ...(rnd() < 0.4
      ? {
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: rnd() < 0.3 ? 'DB_PASSWORD' : 'REGION', value: 'eu-west-1-s3cr3t' },
          ],
        }
      : {}),
    ...(rnd() < 0.3 ? { ports: [{ containerPort: 8080, ...(rnd() < 0.2 ? { hostPort: 8080 } : {}) }] } : {}),
    ...(rnd() < 0.5
      ? {
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
          readinessProbe: { tcpSocket: { port: 8080 } },
        }
      : {}),
    securityContext: secure
      ? {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          runAsNonRoot: true,
        }
      : {
          ...(rnd() < 0.2 ? { privileged: true } : {}),
          ...(rnd() < 0.2 ? { capabilities: { add: [pick(['NET_ADMIN', 'SYS_ADMIN', 'CHOWN'])] } } : {}),
          ...(rnd() < 0.1 ? { procMount: 'Unmasked' } : {}),
          ...(rnd() < 0.2 ? { runAsUser: 0 } : {}),
        },
  };
}

function podSpec(rnd: () => number): Record<string, unknown> {
  const count = 1 + Math.floor(rnd() * 4);
  return {
    ...(rnd() < 0.1 ? { hostNetwork: true } : {}),
    ...(rnd() < 0.05 ? { hostPID: true } : {}),
    ...(rnd() < 0.5 ? { automountServiceAccountToken: false } : {}),
    securityContext:
      rnd() < 0.5
        ? { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }
        : rnd() < 0.2
          ? { sysctls: [{ name: 'kernel.msgmax', value: '65536' }] }
          : {},
    ...(rnd() < 0.3 ? { initContainers: [container(rnd, 'init')] } : {}),
    containers: Array.from({ length: count }, (_, i) => container(rnd, `c${i}`)),
    volumes:
      rnd() < 0.15 ? [{ name: 'host', hostPath: { path: '/var/run' } }] : [{ name: 'tmp', emptyDir: {} }],
  };
}

function workload(rnd: () => number, index: number): KubeObject {
  const kind = KINDS[index % KINDS.length]!;
  const metadata = { name: `app-${index}`, namespace: `team-${index % 50}`, labels: { app: `app-${index}` } };
  const template = { metadata: { labels: { app: `app-${index}` } }, spec: podSpec(rnd) };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata, spec: template.spec };
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind,
        metadata,
        spec: { schedule: '@hourly', jobTemplate: { spec: { template } } },
      };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { template } };
    default:
      return {
        apiVersion: 'apps/v1',
        kind,
        metadata,
        spec: { selector: { matchLabels: { app: `app-${index}` } }, template },
      };
  }
}

function extra(rnd: () => number, index: number): KubeObject {
  const namespace = `team-${index % 50}`;
  const choice = index % 3;
  if (choice === 0)
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc-${index}`, namespace },
      spec: { type: rnd() < 0.3 ? 'NodePort' : 'ClusterIP', ports: [{ port: 80 }] },
    };
  if (choice === 1)
    return {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `role-${index}`, namespace },
      rules: [
        {
          apiGroups: [''],
          resources: rnd() < 0.3 ? ['secrets'] : ['configmaps'],
          verbs: rnd() < 0.2 ? ['*'] : ['get', 'list'],
        },
      ],
    };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `np-${index}`, namespace },
    spec: { podSelector: { matchLabels: { app: `app-${index - 2}` } }, policyTypes: ['Ingress'] },
  };
}

/** `workloads` pod-bearing objects (plus one Service, Role or NetworkPolicy per 4), as multi-document YAML files. */
export function generateManifests(
  workloads: number,
  perFile: number,
  seed = 42,
): { files: Array<{ name: string; text: string }>; podSpecs: number } {
  const rnd = random(seed);
  const files: Array<{ name: string; text: string }> = [];
  let docs: string[] = [];
  for (let i = 0; i < workloads; i++) {
    docs.push(stringify(workload(rnd, i)));
    if (i % 4 === 0) docs.push(stringify(extra(rnd, i)));
    if (docs.length >= perFile || i === workloads - 1) {
      files.push({
        name: `manifests-${String(files.length).padStart(4, '0')}.yaml`,
        text: docs.join('---\n'),
      });
      docs = [];
    }
  }
  return { files, podSpecs: workloads };
}
