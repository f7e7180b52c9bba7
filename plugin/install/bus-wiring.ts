import { setContainerEnv } from './container-env.js';
import type { RenderedBase } from './render-base.js';

/**
 * Points the aggregator and the agents at seco's NATS and Minio by names that resolve from both namespaces
 * (and are in the servers' certificates), and tells the aggregator whose tokens may enroll as agents. With
 * an external NATS (`--nats-url`, already set by withExternalServices) the install's NATS users mean nothing
 * to that server: the components connect as that server's operator arranges, so no creds are set.
 */
export function wireBus(base: RenderedBase, services: { nats: boolean; minio: boolean }): void {
  const { objects, namespace, agentNamespace } = base;
  setContainerEnv(
    objects,
    'SECO_AGENT_SERVICE_ACCOUNT',
    { value: `system:serviceaccount:${agentNamespace}:seco-agent` },
    'aggregator',
  );
  if (services.nats) {
    const url = `tls://seco-nats.${namespace}.svc:4222`;
    setContainerEnv(objects, 'SECO_NATS', { value: url }, 'aggregator');
    setContainerEnv(objects, 'SECO_NATS', { value: url }, 'agent');
  } else {
    setContainerEnv(objects, 'SECO_NATS_CREDS', undefined, 'aggregator');
    setContainerEnv(objects, 'SECO_NATS_TRUST', undefined, 'aggregator');
    setContainerEnv(objects, 'SECO_NATS_ENROLL_CREDS', undefined, 'agent');
  }
  if (services.minio)
    setContainerEnv(
      objects,
      'SECO_S3_ENDPOINT',
      { value: `https://seco-minio.${namespace}.svc:9000` },
      'aggregator',
    );
}
