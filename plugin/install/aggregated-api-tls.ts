import { createHash, X509Certificate } from 'node:crypto';
import type { KubeObject } from '../../core/kube/types.js';
import {
  issueCertificate,
  type KeyPairPem,
  newCertificateAuthority,
} from '../../core/tls/forge-certificate.js';

export const AGGREGATOR_TLS_SECRET = 'seco-aggregator-tls';

/** What an earlier install stored: the serving certificate, its key and its CA's certificate. */
export interface StoredServingCertificate extends KeyPairPem {
  ca: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** The stored certificate if it still fits: for this host, signed by its CA, valid for another 30 days. */
function reusable(
  stored: StoredServingCertificate | undefined,
  host: string,
): StoredServingCertificate | undefined {
  if (!stored) return undefined;
  try {
    const cert = new X509Certificate(stored.cert);
    const ca = new X509Certificate(stored.ca);
    const fits =
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      cert.checkHost(host) !== undefined &&
      Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS;
    return fits ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** The certificate an earlier install stored in the Secret, if its data holds one. */
export function storedServingCertificate(
  secret: KubeObject | undefined,
): StoredServingCertificate | undefined {
  const data = (secret?.data ?? {}) as Record<string, unknown>;
  const text = (key: string) =>
    typeof data[key] === 'string' ? Buffer.from(data[key] as string, 'base64').toString('utf8') : undefined;
  const [cert, key, ca] = [text('tls.crt'), text('tls.key'), text('ca.crt')];
  return cert && key && ca ? { cert, key, ca } : undefined;
}

function newServingCertificate(namespace: string, host: string): StoredServingCertificate {
  const ca = newCertificateAuthority(`seco-aggregator-ca@${namespace}`);
  const serving = issueCertificate(
    {
      commonName: host,
      usage: 'server',
      dnsNames: [host, `${host}.cluster.local`, `seco-aggregator.${namespace}`],
    },
    ca,
  );
  return { ...serving, ca: ca.cert };
}

export function withPodAnnotation(object: KubeObject, key: string, value: string): KubeObject {
  const spec = object.spec as { template: { metadata?: { annotations?: Record<string, string> } } };
  const template = spec.template;
  return {
    ...object,
    spec: {
      ...(object.spec as Record<string, unknown>),
      template: {
        ...template,
        metadata: { ...template.metadata, annotations: { ...template.metadata?.annotations, [key]: value } },
      },
    },
  };
}

/**
 * The aggregated API's serving certificate: a CA of its own whose certificate goes into the APIService's
 * caBundle — the API server then trusts exactly this aggregator — and a certificate for
 * `seco-aggregator.<namespace>.svc` in a kubernetes.io/tls Secret the aggregator mounts. A re-install
 * keeps the stored one while it is valid for 30 more days (so a re-run changes nothing), else makes a
 * new one; the Deployment's pod template carries its fingerprint, so a new one rolls the replicas. The
 * CA's key is never kept: nothing else is ever signed with it.
 */
export function withServingCertificate(
  objects: readonly KubeObject[],
  namespace: string,
  stored?: StoredServingCertificate,
): KubeObject[] {
  const host = `seco-aggregator.${namespace}.svc`;
  const tls = reusable(stored, host) ?? newServingCertificate(namespace, host);
  const fingerprint = createHash('sha256').update(tls.cert).digest('hex').slice(0, 16);
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: AGGREGATOR_TLS_SECRET,
      namespace,
      labels: { 'app.kubernetes.io/name': 'aggregator', 'app.kubernetes.io/part-of': 'seco' },
    },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(tls.cert).toString('base64'),
      'tls.key': Buffer.from(tls.key).toString('base64'),
      'ca.crt': Buffer.from(tls.ca).toString('base64'),
    },
  };
  const out = objects.map((object): KubeObject => {
    if (object.kind === 'APIService') {
      const spec = object.spec as { service?: Record<string, unknown> };
      return {
        ...object,
        spec: {
          ...(object.spec as Record<string, unknown>),
          service: { ...spec.service, namespace },
          caBundle: Buffer.from(tls.ca).toString('base64'),
        },
      };
    }
    if (object.kind === 'Deployment' && object.metadata?.name === 'seco-aggregator')
      return withPodAnnotation(object, 'seco.dev/serving-certificate', fingerprint);
    return object;
  });
  // The Secret goes right before the Deployment that mounts it.
  const at = out.findIndex((o) => o.kind === 'Deployment' && o.metadata?.name === 'seco-aggregator');
  out.splice(at < 0 ? out.length : at, 0, secret);
  return out;
}
