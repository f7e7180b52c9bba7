import {
  issueCertificate,
  type KeyPairPem,
  newCertificateAuthority,
} from '../../../core/tls/forge-certificate.js';
import type { RunningKubeApi } from '../kube-api/start-kube-api.js';

/** The Service DNS name kube-apiserver verifies the aggregator's serving certificate for. */
export const SECO_SERVICE_DNS = 'seco-aggregator.seco-system.svc';

/** A serving CA (the APIService's caBundle) and the aggregator's certificate from it, as install makes them. */
export function secoServingCertificates(): { ca: KeyPairPem; serving: KeyPairPem } {
  const ca = newCertificateAuthority('seco-serving-ca');
  const serving = issueCertificate(
    {
      commonName: SECO_SERVICE_DNS,
      usage: 'server',
      dnsNames: [SECO_SERVICE_DNS, 'localhost'],
      ipAddresses: ['127.0.0.1'],
    },
    ca,
  );
  return { ca, serving };
}

/**
 * Registers seco.dev/v1alpha1 with the harness's aggregation layer as manifests/api-service.yaml does:
 * the Service, the APIService (caBundle = the serving CA) and where the Service's 443 goes (`target`,
 * the aggregator's TLS API port or a tap in front of it).
 */
export function registerSecoApiService(api: RunningKubeApi, servingCa: string, target: string): void {
  api.store.put({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'seco-aggregator', namespace: 'seco-system' },
    spec: { ports: [{ name: 'https', port: 443 }] },
  });
  api.registerServiceTarget('seco-system', 'seco-aggregator', 443, target);
  api.store.put({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1alpha1.seco.dev' },
    spec: {
      group: 'seco.dev',
      version: 'v1alpha1',
      service: { namespace: 'seco-system', name: 'seco-aggregator', port: 443 },
      caBundle: Buffer.from(servingCa).toString('base64'),
      groupPriorityMinimum: 1000,
      versionPriority: 15,
    },
  });
}
