import { buildInfo } from '../../core/build/build-info.js';
import { ApiKubeView } from '../../core/kube/api-kube-view.js';
import { type KindInfo, KUBE_KINDS } from '../../core/kube/kube-kinds.js';
import { describeTarget, loadKubeConfig } from '../../core/kube/load-kube-config.js';
import type { KubeObject } from '../../core/kube/types.js';
import { agentCoverage } from './agent-coverage.js';
import { busSecurity } from './bus-security.js';
import { COMPONENTS, componentStatus } from './component-status.js';
import { fetchAggregatorStatus } from './fetch-aggregator-status.js';
import { type Health, STATUS_SCHEMA, type StatusReport } from './status-report.js';
import { verdict } from './status-verdict.js';

export interface StatusOptions {
  kubeconfig?: string;
  context?: string;
  /** The namespace seco is installed in. */
  namespace: string;
  /** The agents' namespace (default seco-agents); an install of the one-namespace layout has them in `namespace`. */
  agentNamespace?: string;
  /** Reach the aggregator directly instead of through the API server. */
  aggregatorUrl?: string;
  token?: string;
  maxVulnDbAgeSeconds: number;
  now?: () => Date;
}

/** Events explain pending pods; status reads them, nothing else does. */
const EVENT: KindInfo = { kind: 'Event', apiVersion: 'v1', resource: 'events', namespaced: true };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Everything `kubectl seco status` reports, read with the user's kubeconfig: seco's workloads, its
 * agents node by node, and the aggregator's own `/status`.
 */
export async function collectStatus(options: StatusOptions): Promise<StatusReport> {
  const checkedAt = (options.now?.() ?? new Date()).toISOString();
  // Keys in the documented order (docs/status.md): schema and health first.
  const report = (
    health: Health,
    rest: Omit<StatusReport, 'schema' | 'health' | 'namespace' | 'checkedAt' | 'client'>,
  ): StatusReport => ({
    schema: STATUS_SCHEMA,
    health,
    namespace: options.namespace,
    checkedAt,
    client: buildInfo(),
    ...rest,
  });
  const empty = { components: [], agents: { nodes: 0, ready: 0, perNode: [] } };
  let kc: ReturnType<typeof loadKubeConfig>;
  let view: ApiKubeView;
  let namespace: KubeObject | undefined;
  try {
    kc = loadKubeConfig({ kubeconfig: options.kubeconfig, context: options.context });
    view = new ApiKubeView(kc, { kinds: [...KUBE_KINDS, EVENT] });
    namespace = await view.get('Namespace', undefined, options.namespace);
  } catch (error) {
    const why = `the Kubernetes API cannot be read: ${message(error)}`;
    return report('unreachable', { ...empty, aggregator: { via: '', reachable: false }, problems: [why] });
  }
  if (!namespace) {
    const why = `seco is not installed: no namespace ${options.namespace} on ${describeTarget(kc)} (kubectl seco install)`;
    return report('not-installed', { ...empty, aggregator: { via: '', reachable: false }, problems: [why] });
  }
  const agentNamespace = options.agentNamespace ?? 'seco-agents';
  const workloads = await Promise.all(
    COMPONENTS.map(async (c) =>
      c.name === 'agent'
        ? ((await findWorkload(view, agentNamespace, c.object, c.kinds)) ??
          (await findWorkload(view, options.namespace, c.object, c.kinds)))
        : findWorkload(view, options.namespace, c.object, c.kinds),
    ),
  );
  const workload = (name: string) => workloads[COMPONENTS.findIndex((c) => c.name === name)];
  const agentPodsNamespace = workload('agent')?.metadata?.namespace ?? agentNamespace;
  const components = COMPONENTS.map((c, i) => componentStatus(c.name, c.object, workloads[i]));
  if (!components.find((c) => c.name === 'aggregator')?.found) {
    const why = `seco is not installed: no Deployment seco-aggregator in namespace ${options.namespace} (kubectl seco install)`;
    return report('not-installed', {
      components,
      agents: empty.agents,
      aggregator: { via: '', reachable: false },
      problems: [why],
    });
  }
  const namespaces = [...new Set([options.namespace, agentPodsNamespace])];
  const inEach = (kind: string) =>
    Promise.all(namespaces.map((namespace) => view.list(kind, { namespace }).catch(() => []))).then((lists) =>
      lists.flat(),
    );
  const [nodes, pods, events, fetched] = await Promise.all([
    view.list('Node'),
    inEach('Pod'),
    // Events only add detail: a user who may not list them still gets a status.
    inEach('Event'),
    fetchAggregatorStatus(
      options.aggregatorUrl
        ? { kind: 'direct', url: options.aggregatorUrl, token: options.token }
        : { kind: 'service-proxy', kc, namespace: options.namespace },
    ),
  ]);
  const perNode = agentCoverage({
    daemonSet: workload('agent'),
    nodes,
    pods,
    events,
    heartbeats: fetched.status?.agents,
  });
  const aggregator = {
    via: fetched.via,
    reachable: fetched.status !== undefined,
    ...(fetched.error ? { error: fetched.error } : {}),
    ...(fetched.status ? { status: fetched.status } : {}),
  };
  const judged = verdict({
    components,
    perNode,
    aggregator,
    maxVulnDbAgeSeconds: options.maxVulnDbAgeSeconds,
  });
  return report(judged.health, {
    components,
    agents: { nodes: perNode.length, ready: perNode.filter((n) => n.agent === 'ready').length, perNode },
    aggregator,
    bus: busSecurity({
      nats: workload('nats'),
      aggregator: workload('aggregator'),
      agent: workload('agent'),
    }),
    problems: judged.problems,
  });
}

async function findWorkload(
  view: ApiKubeView,
  namespace: string,
  name: string,
  kinds: readonly string[],
): Promise<KubeObject | undefined> {
  for (const kind of kinds) {
    const found = await view.get(kind, namespace, name);
    if (found) return found;
  }
  return undefined;
}
