import { containersOf, podTemplateOf } from '../../core/kube/pod-template.js';
import type { KubeObject } from '../../core/kube/types.js';

/** Whether the bus runs with per-component NATS users and TLS, as far as the workloads' pod specs say. */
export interface BusSecurity {
  /** Every client (aggregator, agents) presents a NATS user, and seco's NATS runs the install's operator config. */
  auth: boolean;
  /** Clients connect with `tls://` and verify against seco's CA (SECO_TLS_CA). */
  tls: boolean;
  /** What is missing, one sentence each (empty when both hold). */
  missing: string[];
}

const envOf = (workload: KubeObject | undefined): Map<string, string | undefined> => {
  const template = workload && podTemplateOf(workload);
  const env = new Map<string, string | undefined>();
  if (!template) return env;
  for (const { container } of containersOf(template.spec))
    for (const e of container.env ?? []) if (e.name) env.set(e.name, e.value);
  return env;
};

/** The name of the Secret a pod template mounts as volume `volume`, if any. */
const mountedSecret = (workload: KubeObject | undefined, volume: string): string | undefined => {
  const template = workload && podTemplateOf(workload);
  const volumes = ((
    template?.spec as { volumes?: Array<{ name?: string; secret?: { secretName?: string } }> }
  )?.volumes ?? []) as Array<{ name?: string; secret?: { secretName?: string } }>;
  return volumes.find((v) => v.name === volume)?.secret?.secretName;
};

/**
 * Read from the workloads, not from Secrets (a user of `status` need not read Secrets): the aggregator's and
 * agents' NATS URL, CA and credentials variables, and whether seco's own NATS mounts the configuration install
 * renders (operator mode with TLS, Secret seco-nats-tls) rather than the old ConfigMap without either.
 */
export function busSecurity(workloads: {
  nats?: KubeObject;
  aggregator?: KubeObject;
  agent?: KubeObject;
}): BusSecurity {
  const aggregator = envOf(workloads.aggregator);
  const agent = envOf(workloads.agent);
  const missing: string[] = [];
  const natsConfigured = !workloads.nats || mountedSecret(workloads.nats, 'config') === 'seco-nats-tls';
  if (!natsConfigured)
    missing.push(
      "seco's NATS does not run the install's configuration (no Secret seco-nats-tls): no users, no TLS",
    );
  if (!aggregator.has('SECO_NATS_CREDS'))
    missing.push('the aggregator connects to NATS without a user (SECO_NATS_CREDS)');
  if (workloads.agent && !agent.has('SECO_NATS_ENROLL_CREDS') && !agent.has('SECO_NATS_CREDS'))
    missing.push('the agents connect to NATS without a user (SECO_NATS_ENROLL_CREDS)');
  const auth = missing.length === 0;
  const plain = [
    ['aggregator', aggregator],
    ...(workloads.agent ? ([['agents', agent]] as const) : []),
  ] as const;
  for (const [who, env] of plain) {
    if (!env.get('SECO_NATS')?.startsWith('tls://'))
      missing.push(
        `the ${who} connect${who === 'agents' ? '' : 's'} to NATS without TLS (SECO_NATS is not tls://)`,
      );
    else if (!env.has('SECO_TLS_CA'))
      missing.push(
        `the ${who} do${who === 'agents' ? '' : 'es'} not verify NATS against seco's CA (SECO_TLS_CA)`,
      );
  }
  const tls =
    natsConfigured &&
    plain.every(([, env]) => env.get('SECO_NATS')?.startsWith('tls://') && env.has('SECO_TLS_CA'));
  return { auth, tls, missing };
}
