import { createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { natsServerConfig } from '../../core/bus/nats/nats-server-config.js';
import type { KubeObject } from '../../core/kube/types.js';
import type { TrustHosts, TrustMaterial } from '../../core/trust/trust-material.js';
import { withPodAnnotation } from './aggregated-api-tls.js';
import { BUS_KEYS_SECRET, busKeysSecret } from './bus-keys-secret.js';
import type { RenderedBase } from './render-base.js';

/**
 * One Secret per component, holding only what that component reads (SECURITY.md, "The bus"): the names
 * the manifests mount. The agents' lives in their own namespace and holds no key that signs anything.
 */
export const NATS_TLS_SECRET = 'seco-nats-tls';
export const MINIO_TLS_SECRET = 'seco-minio-tls';
export const AGGREGATOR_BUS_SECRET = 'seco-aggregator-bus';
export const AGENT_BUS_SECRET = 'seco-agent-bus';
/** The seco-tools Deployment's: the same CA and enrollment user as the agents', in seco's namespace. */
export const TOOLS_BUS_SECRET = 'seco-tools-bus';

/** The pod-template annotation whose change rolls every component onto new certificates. */
export const BUS_TRUST_ANNOTATION = 'seco.dev/bus-trust';

/** Where the NATS pod mounts its Secret (manifests/nats.yaml) and keeps JetStream (its volume). */
const NATS_DIR = '/etc/nats';

/** The names a Service is reached by from any namespace: each goes into the server's certificate. */
export function serviceNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

export function busHosts(namespace: string): TrustHosts {
  return {
    nats: serviceNames('seco-nats', namespace),
    aggregator: serviceNames('seco-aggregator', namespace),
    minio: serviceNames('seco-minio', namespace),
  };
}

export interface BusServices {
  /** Whether the stack runs its own NATS / Minio (not `--nats-url` / `--s3-endpoint`). */
  nats: boolean;
  minio: boolean;
}

function secret(
  name: string,
  namespace: string,
  component: string,
  files: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': 'seco' },
    },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

/**
 * The trust anchor clients are given. seco's CA alone when every server is seco's; with an external NATS or
 * S3 (signed by a public CA) Node's bundled roots are added, since a CA file replaces the system's.
 */
function clientCa(material: TrustMaterial, services: BusServices): string {
  if (services.nats && services.minio) return material.ca.cert;
  return `${[material.ca.cert.trim(), ...rootCertificates].join('\n')}\n`;
}

/** The Secrets install makes for the bus, each in the namespace of the component that mounts it. */
export function busTrustSecrets(
  base: Pick<RenderedBase, 'namespace' | 'agentNamespace'>,
  material: TrustMaterial,
  services: BusServices,
): KubeObject[] {
  const { namespace } = base;
  const ca = clientCa(material, services);
  const trustJson = `${JSON.stringify(material.natsTrust, null, 2)}\n`;
  const secrets = [
    busKeysSecret(namespace, material),
    secret(AGGREGATOR_BUS_SECRET, namespace, 'aggregator', {
      'ca.crt': ca,
      ...(services.nats
        ? { 'aggregator.creds': material.aggregatorCreds, 'nats-trust.json': trustJson }
        : {}),
    }),
    secret(AGENT_BUS_SECRET, base.agentNamespace, 'agent', {
      'ca.crt': ca,
      ...(services.nats ? { 'enroll.creds': material.enrollCreds } : {}),
    }),
    secret(TOOLS_BUS_SECRET, namespace, 'tools', {
      'ca.crt': ca,
      ...(services.nats ? { 'enroll.creds': material.enrollCreds } : {}),
    }),
  ];
  if (services.nats)
    secrets.push(
      secret(NATS_TLS_SECRET, namespace, 'nats', {
        'nats.conf': natsServerConfig(material.natsTrust, {
          port: 4222,
          monitorPort: 8222,
          storeDir: '/data/jetstream',
          jetstreamLimits: { maxFileStore: '8G', maxMemoryStore: '256M' },
          tls: {
            certFile: `${NATS_DIR}/tls.crt`,
            keyFile: `${NATS_DIR}/tls.key`,
            caFile: `${NATS_DIR}/ca.crt`,
          },
        }),
        'tls.crt': material.nats.cert,
        'tls.key': material.nats.key,
        'ca.crt': material.ca.cert,
      }),
    );
  if (services.minio)
    secrets.push(
      secret(MINIO_TLS_SECRET, namespace, 'minio', {
        'public.crt': material.minio.cert,
        'private.key': material.minio.key,
        'ca.crt': material.ca.cert,
      }),
    );
  return secrets;
}

/** The Secrets' names by namespace: what uninstall deletes. */
export function busTrustSecretRefs(base: Pick<RenderedBase, 'namespace' | 'agentNamespace'>): KubeObject[] {
  const ref = (name: string, namespace: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
  });
  return [
    ...[NATS_TLS_SECRET, MINIO_TLS_SECRET, AGGREGATOR_BUS_SECRET, TOOLS_BUS_SECRET].map((n) =>
      ref(n, base.namespace),
    ),
    ref(AGENT_BUS_SECRET, base.agentNamespace),
    ref(BUS_KEYS_SECRET, base.namespace),
  ];
}

/**
 * The stack with the bus's Secrets placed right after the Namespaces (before anything mounts them), and
 * every seco workload's pod template carrying the CA's fingerprint: new certificates roll NATS, Minio, the
 * aggregator and the agents together, each then trusting only the new CA.
 */
export function withBusTrust(
  objects: readonly KubeObject[],
  base: Pick<RenderedBase, 'namespace' | 'agentNamespace'>,
  material: TrustMaterial,
  services: BusServices,
): KubeObject[] {
  const fingerprint = createHash('sha256').update(material.ca.cert).digest('hex').slice(0, 16);
  const out = objects.map((object) =>
    ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind ?? '') &&
    object.metadata?.labels?.['app.kubernetes.io/part-of'] === 'seco'
      ? withPodAnnotation(object, BUS_TRUST_ANNOTATION, fingerprint)
      : object,
  );
  const at = out.filter((o) => o.kind === 'Namespace').length;
  out.splice(at, 0, ...busTrustSecrets(base, material, services));
  return out;
}
