import { NatsBus } from '../core/bus/nats/nats-bus.js';
import { nodeInboxPrefix } from '../core/bus/nats/nats-permissions.js';
import { natsStatusToReadiness, type Readiness } from '../core/service/readiness.js';
import type { TrustConfig } from '../core/service/trust-flags.js';
import { AgentIdentity } from './agent-identity.js';

export interface AgentBusConfig {
  node: string;
  nats: string;
  trust: TrustConfig;
  enroll?: { bootstrapCreds: string; tokenFile: string };
}

/**
 * A node service's NATS connection (the agent's, and the tools runner's beside it in the same pod): in a
 * cluster it enrolls first — its own nkey, a JWT the aggregator mints after checking the pod's token — and
 * keeps that user renewed; it waits for the server as long as it takes.
 */
export async function connectAgentBus(
  config: AgentBusConfig,
  readiness: Readiness,
  log: (line: string) => void,
): Promise<{ bus: NatsBus; identity?: AgentIdentity }> {
  const natsStatus = natsStatusToReadiness(readiness);
  const identity = config.enroll
    ? await AgentIdentity.enroll({
        servers: config.nats,
        node: config.node,
        bootstrapCreds: config.enroll.bootstrapCreds,
        tokenFile: config.enroll.tokenFile,
        ...(config.trust.tlsCa ? { tlsCa: config.trust.tlsCa } : {}),
        log,
      })
    : undefined;
  const trust = identity
    ? {
        ...config.trust,
        credentials: { creds: () => identity.creds(), inboxPrefix: nodeInboxPrefix(config.node) },
      }
    : config.trust;
  const bus = await NatsBus.connectWhenUp(
    config.nats,
    {
      ackWaitMs: 120_000,
      maxDeliver: 5,
      ...trust,
      // An agent with its own NATS user may not create queues or buckets: the aggregator does.
      manageStreams: !trust.credentials,
      onStatus: (type, detail) => {
        natsStatus(type, detail);
        if (type !== 'ping' && type !== 'reconnecting') log(`NATS ${type}${detail ? ` ${detail}` : ''}`);
      },
    },
    (error, retryInMs) => log(`${error.message}; retrying in ${Math.round(retryInMs / 100) / 10} s`),
  );
  readiness.ok('nats');
  identity?.keepRenewed(bus, identity.expiresAt);
  return identity ? { bus, identity } : { bus };
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: `first` stops what the service runs beside its job loop, then the
 * loop finishes (and acks) the job in hand and takes no more, then the listener, the identity and the
 * connection (drained) go.
 */
export function stopOnSignal(parts: {
  log: (line: string) => void;
  first?: () => void;
  loop: { stop(): Promise<void> };
  health?: { close(): Promise<void> };
  identity?: AgentIdentity;
  bus: { close(): Promise<void> };
}): void {
  const shutdown = async () => {
    parts.log('stopping');
    parts.first?.();
    await parts.loop.stop();
    await parts.health?.close();
    parts.identity?.stop();
    await parts.bus.close();
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}
