import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { Agent, type AgentOptions } from '../../../agent/agent.js';
import { AgentVulnDb } from '../../../agent/agent-vuln-db.js';
import { TicketClient } from '../../../agent/job-ticket-client.js';
import {
  type ToolsRunnerServes,
  toolsRunner,
  toolsRunnerNode,
  toolVersions,
} from '../../../agent/tools-runner.js';
import { Access, type KubeAccess } from '../../../aggregator/access.js';
import { Aggregator } from '../../../aggregator/aggregator.js';
import type { RequestHeaderSource } from '../../../aggregator/request-header-source.js';
import type { Bus } from '../../../core/bus/bus.js';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { builtinRulesDir, loadFeedbackRules } from '../../../core/feedback/feedback-rules.js';
import { DirectoryKubeView } from '../../../core/kube/directory-kube-view.js';
import type { KubeView } from '../../../core/kube/kube-view.js';
import type { KubeObject } from '../../../core/kube/types.js';
import { SERVICE_TOOLS_NODE } from '../../../core/protocol/index.js';
import type { ObjectStore } from '../../../core/store/object-store.js';
import { type BuiltHostRoot, buildHostRoot } from '../host/build-host-root.js';

export interface StackNode {
  name: string;
  /** A fixture host root under test/fixtures/host. */
  fixture: string;
}

export interface StackOptions {
  /** A fresh bus connection for each process of the stack (aggregator, each agent), as in a cluster. */
  bus: () => Promise<Bus>;
  /**
   * Agents as a cluster runs them: each on its own node's NATS user, with no store of its own — every
   * object through pre-signed URLs its job tickets grant (store TLS verified with `tlsCa`).
   */
  agentsWithTickets?: { bus: (node: string) => Promise<Bus>; tlsCa?: string };
  store: ObjectStore;
  /** The cluster's objects (read through a directory view), unless `kube` is given. */
  objects?: readonly KubeObject[];
  kube?: KubeView;
  nodes: StackNode[];
  jobTimeoutMs?: number;
  leaseMs?: number;
  agentPollMs?: number;
  /** Image-job options every agent gets (plain-HTTP registries, the vuln DB cache directory). */
  agent?: {
    insecureRegistries?: string[];
    cacheDir?: string;
    runJob?: AgentOptions['runJob'];
    /** Test subsets for the node tools of `tools` jobs (a full lynis audit takes minutes). */
    toolInputs?: AgentOptions['toolInputs'];
    toolAudit?: AgentOptions['toolAudit'];
    /** Service CIDRs for service-tools jobs (a test's listener on 127.0.0.1 stands in for a ClusterIP). */
    serviceNetworks?: AgentOptions['serviceNetworks'];
    /**
     * A tools runner beside each agent (agent/tools-runner.ts, the DaemonSet's `tools` container), on the
     * same bus and host root, taking the node's tool jobs with this machine's tools.
     */
    toolsRunner?: boolean;
    /**
     * A `seco-tools` replica (manifests/tools.yaml): a tools runner taking Service tool jobs (node
     * `_services`) with this machine's tools and `serviceNetworks`, on a bus of its own.
     */
    serviceTools?: boolean;
  };
  /** TokenReview/SubjectAccessReview against a (harness) API server, beside the static test token. */
  kubeAccess?: KubeAccess;
  /** The aggregator's continuous mode (pods to agents, new digests scanned, events acted on); off unless asked. */
  continuous?: boolean;
  /**
   * Serve the aggregated API seco.dev over TLS (a serving certificate made here) trusting this
   * requestheader configuration, e.g. the kube-api harness's (requestHeaderFromHarness).
   */
  secureApi?: { requestHeader: RequestHeaderSource; tls: { cert: string; key: string } };
}

export interface RunningAggregator {
  aggregator: Aggregator;
  bus: Bus;
  url: string;
  port: number;
  metricsPort: number;
  /** The aggregated API's TLS port (with `secureApi`). */
  apiPort?: number;
  stop(): Promise<void>;
}

export interface RunningStack {
  token: string;
  aggregators: RunningAggregator[];
  agents: Map<string, { agent: Agent; bus: Bus; host: BuiltHostRoot; tools?: Agent }>;
  /** The seco-tools replica (with `agent.serviceTools`). */
  serviceTools?: { runner: Agent; bus: Bus };
  kube: KubeView;
  /** Another replica; on `port` to stand for the same Service address after a restart. */
  startAggregator(replicaId: string, port?: number): Promise<RunningAggregator>;
  startAgent(node: StackNode): Promise<void>;
  stopAgent(node: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * seco's cluster pipeline in one process: an aggregator and one agent per node, each with its own bus
 * connection, over whatever bus and store the test gives (real nats-server and S3, or in-process).
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const dir = mkdtempSync(join(tmpdir(), 'seco-stack-'));
  const token = 'test-token-0123456789';
  writeFileSync(join(dir, 'tokens'), `# direct-access tokens\n${token}\n`);
  let kube = options.kube;
  if (!kube) {
    writeFileSync(
      join(dir, 'cluster.yaml'),
      (options.objects ?? []).map((o) => dump(o, { noRefs: true })).join('---\n'),
    );
    kube = await DirectoryKubeView.load(join(dir, 'cluster.yaml'));
  }
  const rules = await loadFeedbackRules([builtinRulesDir()]);
  const access = await Access.create(join(dir, 'tokens'), options.kubeAccess);
  const aggregators: RunningAggregator[] = [];
  const agents: RunningStack['agents'] = new Map();

  const startAggregator = async (replicaId: string, port = 0): Promise<RunningAggregator> => {
    const bus = await options.bus();
    const aggregator = new Aggregator({
      bus,
      store: options.store,
      kube: kube!,
      access,
      replicaId,
      feedbackRules: rules,
      jobTimeoutMs: options.jobTimeoutMs ?? 60_000,
      leaseMs: options.leaseMs ?? 3_000,
      tickMs: 250,
      continuous: options.continuous ?? false,
      podsEveryMs: 500,
      version: 'test',
      metrics: { host: '127.0.0.1', port: 0 },
      ...(options.secureApi ? { secureApi: { host: '127.0.0.1', port: 0, ...options.secureApi } } : {}),
    });
    const address = await aggregator.start('127.0.0.1', port);
    const running: RunningAggregator = {
      aggregator,
      bus,
      port: address.port,
      metricsPort: aggregator.metricsAddress!.port,
      ...(aggregator.apiAddress ? { apiPort: aggregator.apiAddress.port } : {}),
      url: `ws://127.0.0.1:${address.port}/ws`,
      async stop() {
        await aggregator.stop();
        await bus.close();
        aggregators.splice(aggregators.indexOf(running), 1);
      },
    };
    aggregators.push(running);
    return running;
  };

  // A tools runner as the tools image runs it: beside a node's agent, or as a seco-tools replica. Its
  // versions are the ones its heartbeat says (asked of this machine's binaries, audited apart).
  const startToolsRunner = async (
    serves: ToolsRunnerServes,
    node: string,
    bus: Bus,
    host: Pick<BuiltHostRoot, 'hostRoot' | 'procRoot'>,
  ): Promise<Agent> => {
    const withTickets = options.agentsWithTickets;
    const tlsCa = withTickets?.tlsCa;
    const versions = await toolVersions(new AuditMemory().sink);
    const runner = toolsRunner({
      serves,
      tools: () => versions,
      bus,
      tickets: new TicketClient(bus, toolsRunnerNode(serves, node), tlsCa ? { tlsCa } : {}),
      ...(withTickets ? {} : { store: options.store }),
      node,
      hostRoot: host.hostRoot,
      procRoot: host.procRoot,
      pollMs: options.agentPollMs ?? 200,
      ...(options.agent?.toolInputs ? { toolInputs: options.agent.toolInputs } : {}),
      ...(options.agent?.toolAudit ? { toolAudit: options.agent.toolAudit } : {}),
      ...(options.agent?.serviceNetworks ? { serviceNetworks: options.agent.serviceNetworks } : {}),
      insecureRegistries: options.agent?.insecureRegistries ?? [],
      toolDataCache: join(dir, `tooldata-${serves}-${node}`),
    });
    runner.start();
    return runner;
  };

  const startAgent = async (node: StackNode) => {
    const withTickets = options.agentsWithTickets;
    const bus = withTickets ? await withTickets.bus(node.name) : await options.bus();
    const host = buildHostRoot(node.fixture);
    const tlsCa = withTickets?.tlsCa;
    const agent = new Agent({
      bus,
      // Every agent asks for tickets (its jobs' go-ahead and pull credentials); only a ticketed one has no store.
      tickets: new TicketClient(bus, node.name, tlsCa ? { tlsCa } : {}),
      ...(withTickets ? {} : { store: options.store }),
      node: node.name,
      hostRoot: host.hostRoot,
      procRoot: host.procRoot,
      pollMs: options.agentPollMs ?? 200,
      insecureRegistries: options.agent?.insecureRegistries ?? [],
      vulnDb: new AgentVulnDb(
        withTickets ? undefined : options.store,
        options.agent?.cacheDir ?? join(dir, `vulndb-${node.name}`),
      ),
      ...(options.agent?.runJob ? { runJob: options.agent.runJob } : {}),
      ...(options.agent?.toolInputs ? { toolInputs: options.agent.toolInputs } : {}),
      ...(options.agent?.toolAudit ? { toolAudit: options.agent.toolAudit } : {}),
      ...(options.agent?.serviceNetworks ? { serviceNetworks: options.agent.serviceNetworks } : {}),
    });
    agent.start();
    const tools = options.agent?.toolsRunner
      ? await startToolsRunner('node', node.name, bus, host)
      : undefined;
    agents.set(node.name, { agent, bus, host, ...(tools ? { tools } : {}) });
  };

  const stopAgent = async (name: string) => {
    const running = agents.get(name);
    if (!running) return;
    agents.delete(name);
    await running.tools?.stop();
    await running.agent.stop();
    await running.bus.close();
    running.host.remove();
  };

  if (options.agentsWithTickets) {
    // An agent with its own NATS user only binds to buckets: the aggregator makes them, then the agents
    // come, and the stack is up once every agent's heartbeat is seen (as a cluster's rollout would be).
    const first = await startAggregator('replica-a');
    for (const node of options.nodes) await startAgent(node);
    for (let waited = 0; ; waited += 100) {
      const live = await first.aggregator.coordinator.agents.liveNodes();
      if (options.nodes.every((n) => live.has(n.name))) break;
      if (waited > 15_000) throw new Error(`agents without a heartbeat after 15 s: ${[...live].join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } else {
    for (const node of options.nodes) await startAgent(node);
    await startAggregator('replica-a');
  }
  let serviceTools: RunningStack['serviceTools'];
  if (options.agent?.serviceTools) {
    const bus = options.agentsWithTickets
      ? await options.agentsWithTickets.bus(SERVICE_TOOLS_NODE)
      : await options.bus();
    // A seco-tools replica mounts no host root: its tools only ever see the Services a job names.
    const runner = await startToolsRunner('services', options.nodes[0]?.name ?? 'node-a', bus, {
      hostRoot: dir,
      procRoot: '/proc',
    });
    serviceTools = { runner, bus };
  }
  return {
    token,
    aggregators,
    agents,
    ...(serviceTools ? { serviceTools } : {}),
    kube,
    startAggregator,
    startAgent,
    stopAgent,
    async stop() {
      for (const running of [...aggregators]) await running.stop();
      for (const name of [...agents.keys()]) await stopAgent(name);
      await serviceTools?.runner.stop();
      await serviceTools?.bus.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
