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

type Rnd = () => number;
type Fields = Record<string, unknown>;

const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'] as const;

const IMAGES = [
  'nginx:latest',
  'redis:7.2',
  `ghcr.io/acme/api:1.4.2@sha256:${'ab'.repeat(32)}`,
  'busybox',
  'localhost:5000/tool:0.1',
  `registry.k8s.io/pause@sha256:${'7c'.repeat(32)}`,
] as const;

function pick<T>(rnd: Rnd, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

function maybe(rnd: Rnd, chance: number, fields: () => Fields): Fields {
  return rnd() < chance ? fields() : {};
}

/** Plain values, a literal credential now and then, and references to Secrets and ConfigMaps. */
function env(rnd: Rnd): Fields {
  return maybe(rnd, 0.4, () => ({
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: rnd() < 0.3 ? 'DB_PASSWORD' : 'REGION', value: 'eu-west-1-s3cr3t' },
      ...(rnd() < 0.4
        ? [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }]
        : []),
    ],
    ...maybe(rnd, 0.2, () => ({ envFrom: [{ secretRef: { name: 'app-env' } }] })),
  }));
}

function resources(rnd: Rnd): Fields {
  return maybe(rnd, 0.6, () => ({
    resources: {
      requests: { cpu: '100m', memory: '64Mi' },
      ...maybe(rnd, 0.5, () => ({ limits: { cpu: '1', memory: '256Mi' } })),
    },
  }));
}

function probes(rnd: Rnd): Fields {
  return maybe(rnd, 0.5, () => ({
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    readinessProbe: { tcpSocket: { port: 8080 } },
  }));
}

/** Half restricted-compliant, half a mix of the things Pod Security baseline forbids. */
function securityContext(rnd: Rnd): Fields {
  if (rnd() < 0.5)
    return {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      ...maybe(rnd, 0.3, () => ({ runAsUser: 10001 })),
    };
  return {
    ...maybe(rnd, 0.2, () => ({ privileged: true })),
    ...maybe(rnd, 0.2, () => ({ capabilities: { add: [pick(rnd, ['NET_ADMIN', 'SYS_ADMIN', 'CHOWN'])] } })),
    ...maybe(rnd, 0.1, () => ({ procMount: 'Unmasked' })),
    ...maybe(rnd, 0.2, () => ({ runAsUser: 0 })),
    ...maybe(rnd, 0.1, () => ({ runAsNonRoot: false })),
    ...maybe(rnd, 0.1, () => ({ seccompProfile: { type: pick(rnd, ['Unconfined', 'Localhost']) } })),
  };
}

function container(rnd: Rnd, name: string): Fields {
  return {
    name,
    image: pick(rnd, IMAGES),
    ...maybe(rnd, 0.2, () => ({ imagePullPolicy: pick(rnd, ['Always', 'IfNotPresent', 'Never']) })),
    ...resources(rnd),
    ...env(rnd),
    ...maybe(rnd, 0.3, () => ({
      ports: [{ containerPort: 8080, ...maybe(rnd, 0.2, () => ({ hostPort: 8080 })) }],
    })),
    ...probes(rnd),
    securityContext: securityContext(rnd),
  };
}

function podSecurityContext(rnd: Rnd): Fields {
  const roll = rnd();
  if (roll < 0.5) return { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
  if (roll < 0.6) return { sysctls: [{ name: 'kernel.msgmax', value: '65536' }] };
  if (roll < 0.7) return { seLinuxOptions: { type: 'spc_t' } };
  return {};
}

function volumes(rnd: Rnd): Fields[] {
  if (rnd() < 0.15) return [{ name: 'host', hostPath: { path: pick(rnd, ['/var/run', '/', '/etc']) } }];
  if (rnd() < 0.2) return [{ name: 'creds', secret: { secretName: 'creds' } }];
  return [{ name: 'tmp', emptyDir: {} }];
}

function podSpec(rnd: Rnd): Fields {
  const count = 1 + Math.floor(rnd() * 4);
  return {
    ...maybe(rnd, 0.1, () => ({ hostNetwork: true })),
    ...maybe(rnd, 0.05, () => ({ hostPID: true })),
    ...maybe(rnd, 0.05, () => ({ hostIPC: true })),
    ...maybe(rnd, 0.5, () => ({ automountServiceAccountToken: false })),
    ...maybe(rnd, 0.3, () => ({ serviceAccountName: 'app' })),
    securityContext: podSecurityContext(rnd),
    ...maybe(rnd, 0.3, () => ({ initContainers: [container(rnd, 'init')] })),
    containers: Array.from({ length: count }, (_, i) => container(rnd, `c${i}`)),
    volumes: volumes(rnd),
  };
}

function workload(rnd: Rnd, index: number): KubeObject {
  const kind = KINDS[index % KINDS.length]!;
  const app = `app-${index}`;
  const metadata = { name: app, namespace: `team-${index % 50}`, labels: { app } };
  const template = { metadata: { labels: { app } }, spec: podSpec(rnd) };
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
        spec: { selector: { matchLabels: { app } }, template },
      };
  }
}

function service(rnd: Rnd, index: number, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${index}`, namespace },
    spec: {
      type: pick(rnd, ['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer']),
      selector: { app: `app-${index}` },
      ports: [{ port: 80, targetPort: 8080 }],
    },
  };
}

function role(rnd: Rnd, index: number, namespace: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: `role-${index}`, namespace },
    rules: [
      {
        apiGroups: [''],
        resources: rnd() < 0.3 ? ['secrets'] : pick(rnd, [['configmaps'], ['pods', 'pods/exec']]),
        verbs: rnd() < 0.2 ? ['*'] : pick(rnd, [['get', 'list'], ['create'], ['escalate', 'bind']]),
      },
    ],
  };
}

function networkPolicy(rnd: Rnd, index: number, namespace: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `np-${index}`, namespace },
    spec: {
      podSelector: { matchLabels: { app: `app-${index - 2}` } },
      policyTypes: rnd() < 0.5 ? ['Ingress'] : ['Ingress', 'Egress'],
    },
  };
}

/** One Service, Role or NetworkPolicy in turn, in the workload's namespace. */
function extra(rnd: Rnd, index: number): KubeObject {
  const namespace = `team-${index % 50}`;
  const make = [service, role, networkPolicy][index % 3]!;
  return make(rnd, index, namespace);
}

/** `workloads` pod-bearing objects (plus one Service, Role or NetworkPolicy per 4), as multi-document YAML files. */
export function generateManifests(
  workloads: number,
  perFile: number,
  seed = 42,
): { files: Array<{ name: string; text: string }>; podSpecs: number; objects: number } {
  const rnd = random(seed);
  const files: Array<{ name: string; text: string }> = [];
  let docs: string[] = [];
  let objects = 0;
  for (let i = 0; i < workloads; i++) {
    docs.push(stringify(workload(rnd, i)));
    if (i % 4 === 0) docs.push(stringify(extra(rnd, i)));
    if (docs.length >= perFile || i === workloads - 1) {
      objects += docs.length;
      files.push({
        name: `manifests-${String(files.length).padStart(4, '0')}.yaml`,
        text: docs.join('---\n'),
      });
      docs = [];
    }
  }
  return { files, podSpecs: workloads, objects };
}
