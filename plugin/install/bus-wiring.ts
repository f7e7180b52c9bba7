import { setContainerEnv } from './container-env.js';
import type { RenderedBase } from './render-base.js';

/**
 * Points the aggregator and the agents at seco's NATS and Minio by names that resolve from both namespaces
 * (and are in the servers' certificates), and tells the aggregator whose tokens may enroll as agents and as the Service tools (seco-tools). With
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
  setContainerEnv(
    objects,
    'SECO_TOOLS_SERVICE_ACCOUNT',
    { value: `system:serviceaccount:${namespace}:seco-tools` },
    'aggregator',
  );
  // The agent pod's `tools` container is of component `agent`; the seco-tools Deployment is `tools`.
  if (services.nats) {
    const url = `tls://seco-nats.${namespace}.svc:4222`;
    for (const component of ['aggregator', 'agent', 'tools'])
      setContainerEnv(objects, 'SECO_NATS', { value: url }, component);
  } else {
    setContainerEnv(objects, 'SECO_NATS_CREDS', undefined, 'aggregator');
    setContainerEnv(objects, 'SECO_NATS_TRUST', undefined, 'aggregator');
    setContainerEnv(objects, 'SECO_NATS_ENROLL_CREDS', undefined, 'agent');
    setContainerEnv(objects, 'SECO_NATS_ENROLL_CREDS', undefined, 'tools');
  }
  if (services.minio)
    setContainerEnv(
      objects,
      'SECO_S3_ENDPOINT',
      { value: `https://seco-minio.${namespace}.svc:9000` },
      'aggregator',
    );
}
