import { BusPodView } from '../core/kube/bus-pod-view.js';
import { linearTimeRegexps } from '../core/service/linear-regexp.js';
import { Readiness } from '../core/service/readiness.js';
import { serviceConfig } from '../core/service/service-flags.js';
import { S3ObjectStore } from '../core/store/s3/s3-object-store.js';
import { Agent } from './agent.js';
import { connectAgentBus, stopOnSignal } from './agent-bus.js';
import { AgentVulnDb } from './agent-vuln-db.js';
import { AGENT_USAGE, agentConfig } from './config.js';
import { startHealthServer } from './health-server.js';
import { imageExecutablesLookup } from './image-executables.js';
import { TicketClient } from './job-ticket-client.js';
import { runtimeHeartbeat, startRuntimeWatch } from './runtime-watch.js';

async function main(): Promise<void> {
  linearTimeRegexps(); // runtime rules and the configuration jobs' policies run users' patterns
  const config = serviceConfig('seco-agent', AGENT_USAGE, agentConfig);
  if (!config) return;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const readiness = new Readiness();
  const { bus, identity } = await connectAgentBus(config, readiness, log);
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
  stopOnSignal({
    log,
    first: () => {
      runtime?.stop();
      pods?.close();
    },
    loop: agent,
    ...(health ? { health } : {}),
    ...(identity ? { identity } : {}),
    bus,
  });
}

await main();
