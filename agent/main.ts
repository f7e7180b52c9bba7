import { NatsBus } from '../core/bus/nats/nats-bus.js';
import { nodeInboxPrefix } from '../core/bus/nats/nats-permissions.js';
import { BusPodView } from '../core/kube/bus-pod-view.js';
import { natsStatusToReadiness, Readiness } from '../core/service/readiness.js';
import { serviceConfig } from '../core/service/service-flags.js';
import { S3ObjectStore } from '../core/store/s3/s3-object-store.js';
import { Agent } from './agent.js';
import { AgentIdentity } from './agent-identity.js';
import { AgentVulnDb } from './agent-vuln-db.js';
import { AGENT_USAGE, agentConfig } from './config.js';
import { startHealthServer } from './health-server.js';
import { imageExecutablesLookup } from './image-executables.js';
import { TicketClient } from './job-ticket-client.js';
import { runtimeHeartbeat, startRuntimeWatch } from './runtime-watch.js';

async function main(): Promise<void> {
  const config = serviceConfig('seco-agent', AGENT_USAGE, agentConfig);
  if (!config) return;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const readiness = new Readiness();
  const natsStatus = natsStatusToReadiness(readiness);
  // In a cluster the agent enrolls: its own nkey, a JWT the aggregator mints after checking the pod's token.
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
  const tlsCa = config.trust.tlsCa;
  // No store keys (the default): every object a job touches is a pre-signed URL from the aggregator.
  const ownStore = config.s3 ? new S3ObjectStore({ ...config.s3, ...(tlsCa ? { tlsCa } : {}) }) : undefined;
  // Tickets either way: they carry each job's go-ahead and its pull credentials (sealed to this agent).
  const tickets = new TicketClient(bus, config.node, tlsCa ? { tlsCa } : {});
  if (ownStore) log('holding object-store keys (--s3-access-key): jobs bypass pre-signed URLs');
  /** What the heartbeat says about the runtime sensor; set once the watcher has started (or not). */
  let sensor: string | undefined = config.runtime ? undefined : 'off';
  let runtime: Awaited<ReturnType<typeof startRuntimeWatch>> | undefined;
  const agent = new Agent({
    bus,
    runtimeStatus: config.runtime ? () => runtimeHeartbeat(runtime) : undefined,
    tickets,
    ...(ownStore ? { store: ownStore } : {}),
    node: config.node,
    hostRoot: config.hostRoot,
    procRoot: config.procRoot,
    vulnDb: new AgentVulnDb(ownStore, config.cacheDir, log),
    insecureRegistries: config.insecureRegistries,
    cluster: config.cluster,
    limits: config.limits,
    lanes: config.lanes,
    heartbeatMs: config.heartbeatMs,
    sensor: () => sensor,
    readiness,
    log,
  });
  agent.start();
  const health = config.listen
    ? await startHealthServer(readiness, config.listen.host, config.listen.port)
    : undefined;
  if (health) process.stdout.write(`listening ${health.address.port}\n`);
  // Runtime detection runs beside the job loop; a node where it cannot start still serves scan jobs.
  // Pods come from the aggregator over the bus: the agent itself has no Kubernetes API access.
  const pods = config.runtime ? await BusPodView.open(bus, config.node, log) : undefined;
  runtime = config.runtime
    ? await startRuntimeWatch({
        bus,
        node: config.node,
        procRoot: config.procRoot,
        sensor: config.runtimeSensor,
        cgroupRoot: config.cgroupRoot,
        cluster: config.cluster,
        kube: pods,
        rulesDirs: config.runtimeRules,
        imageFiles: imageExecutablesLookup(ownStore ?? tickets.store(), log),
        log,
      }).catch((error: unknown) => {
        log(`runtime watcher not started: ${(error as Error).message}`);
        return undefined;
      })
    : undefined;
  sensor = runtime?.stats.source ?? (config.runtime ? 'failed' : 'off');
  log(`seco-agent on ${config.node}: taking jobs from ${config.nats}`);
  // Graceful shutdown: finish (and ack) the job in hand, take no more, then drain the connection.
  const shutdown = async () => {
    log('stopping');
    runtime?.stop();
    pods?.close();
    await agent.stop();
    await health?.close();
    identity?.stop();
    await bus.close();
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

await main();
