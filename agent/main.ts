import { NatsBus } from '../core/bus/nats/nats-bus.js';
import { BusPodView } from '../core/kube/bus-pod-view.js';
import { natsStatusToReadiness, Readiness } from '../core/service/readiness.js';
import { serviceConfig } from '../core/service/service-flags.js';
import { S3ObjectStore } from '../core/store/s3/s3-object-store.js';
import { Agent } from './agent.js';
import { AgentVulnDb } from './agent-vuln-db.js';
import { AGENT_USAGE, agentConfig } from './config.js';
import { startHealthServer } from './health-server.js';
import { imageExecutablesLookup } from './image-executables.js';
import { runtimeHeartbeat, startRuntimeWatch } from './runtime-watch.js';

async function main(): Promise<void> {
  const config = serviceConfig('seco-agent', AGENT_USAGE, agentConfig);
  if (!config) return;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const readiness = new Readiness();
  const natsStatus = natsStatusToReadiness(readiness);
  const bus = await NatsBus.connectWhenUp(
    config.nats,
    {
      ackWaitMs: 120_000,
      maxDeliver: 5,
      onStatus: (type, detail) => {
        natsStatus(type, detail);
        if (type !== 'ping' && type !== 'reconnecting') log(`NATS ${type}${detail ? ` ${detail}` : ''}`);
      },
    },
    (error, retryInMs) => log(`${error.message}; retrying in ${Math.round(retryInMs / 100) / 10} s`),
  );
  readiness.ok('nats');
  const store = new S3ObjectStore({
    endpoint: config.s3Endpoint,
    bucket: config.s3Bucket,
    accessKey: config.s3AccessKey,
    secretKey: config.s3SecretKey,
  });
  let runtime: Awaited<ReturnType<typeof startRuntimeWatch>> | undefined;
  const agent = new Agent({
    bus,
    runtimeStatus: config.runtime ? () => runtimeHeartbeat(runtime) : undefined,
    store,
    node: config.node,
    hostRoot: config.hostRoot,
    procRoot: config.procRoot,
    vulnDb: new AgentVulnDb(store, config.cacheDir, log),
    insecureRegistries: config.insecureRegistries,
    cluster: config.cluster,
    limits: config.limits,
    lanes: config.lanes,
    heartbeatMs: config.heartbeatMs,
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
        imageFiles: imageExecutablesLookup(store, log),
        log,
      }).catch((error: unknown) => {
        log(`runtime watcher not started: ${(error as Error).message}`);
        return undefined;
      })
    : undefined;
  log(`seco-agent on ${config.node}: taking jobs from ${config.nats}`);
  // Graceful shutdown: finish (and ack) the job in hand, take no more, then drain the connection.
  const shutdown = async () => {
    log('stopping');
    runtime?.stop();
    pods?.close();
    await agent.stop();
    await health?.close();
    await bus.close();
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

await main();
