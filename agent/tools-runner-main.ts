import { join } from 'node:path';
import { auditToStream } from '../core/exec/audit-log.js';
import type { ToolVersion } from '../core/protocol/index.js';
import { Readiness } from '../core/service/readiness.js';
import { serviceConfig } from '../core/service/service-flags.js';
import { connectAgentBus, stopOnSignal } from './agent-bus.js';
import { startHealthServer } from './health-server.js';
import { TicketClient } from './job-ticket-client.js';
import { toolsRunner, toolsRunnerNode, toolVersions } from './tools-runner.js';
import { TOOLS_RUNNER_USAGE, toolsRunnerConfig } from './tools-runner-config.js';

/** Tools change only with the image, but a binary replaced or made writable since start shows within this. */
const VERSIONS_EVERY_MS = 10 * 60_000;

/** `seco tools`: the tools image's entrypoint service (tools/release/image/tools-image.ts). */
async function main(): Promise<void> {
  const config = serviceConfig('seco-tools', TOOLS_RUNNER_USAGE, toolsRunnerConfig);
  if (!config) return;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // Every approval, denial, start and end of a tool run: one JSON line on stderr, the container's log.
  const audit = auditToStream(process.stderr);
  const readiness = new Readiness();
  let tools: ToolVersion[] = await toolVersions(audit);
  log(`tools: ${tools.map((t) => `${t.tool} ${t.version ?? `(${t.problem})`}`).join(', ')}`);
  const refresh = setInterval(() => {
    toolVersions(audit).then(
      (found) => {
        tools = found;
      },
      (error: unknown) => log(`tool versions not refreshed: ${(error as Error).message}`),
    );
  }, VERSIONS_EVERY_MS);
  // A seco-tools replica enrolls, asks for tickets and reports as SERVICE_TOOLS_NODE (its service identity),
  // a node's runner as its node; the heartbeat still names the pod's node.
  const busNode = toolsRunnerNode(config.serves, config.node);
  const { bus, identity } = await connectAgentBus({ ...config, node: busNode }, readiness, log);
  const tlsCa = config.trust.tlsCa;
  const runner = toolsRunner({
    serves: config.serves,
    tools: () => tools,
    bus,
    tickets: new TicketClient(bus, busNode, tlsCa ? { tlsCa } : {}),
    node: config.node,
    hostRoot: config.hostRoot,
    procRoot: config.procRoot,
    ...(config.cluster ? { cluster: config.cluster } : {}),
    ...(config.serviceNetworks ? { serviceNetworks: config.serviceNetworks } : {}),
    toolDataCache: join(config.cacheDir, 'tooldata'),
    insecureRegistries: config.insecureRegistries,
    toolAudit: audit,
    limits: config.limits,
    heartbeatMs: config.heartbeatMs,
    readiness,
    log,
  });
  runner.start();
  const health = config.listen
    ? await startHealthServer(readiness, config.listen.host, config.listen.port)
    : undefined;
  if (health) process.stdout.write(`listening ${health.address.port}\n`);
  log(`seco-tools on ${config.node}: taking ${config.serves} tool jobs from ${config.nats}`);
  stopOnSignal({
    log,
    first: () => clearInterval(refresh),
    loop: runner,
    ...(health ? { health } : {}),
    ...(identity ? { identity } : {}),
    bus,
  });
}

await main();
