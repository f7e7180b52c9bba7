import type { AggregatorStatus, ToolVersion } from '../../core/protocol/index.js';

/** One tools runner as `kubectl seco tools` shows it: where it runs, whether it is alive, its tools. */
export interface NodeTools {
  node: string;
  /** `node`: the runner beside the node's agent; `services`: a seco-tools replica on that node. */
  serves: 'node' | 'services';
  online: boolean;
  lastSeen?: string;
  runnerVersion?: string;
  tools: ToolVersion[];
  /** Why nothing is known of this node's tools (an agent but no tools runner heartbeat). */
  problem?: string;
}

/**
 * The tools each node has, from the tools runners' heartbeats in the aggregator's status; a node with an
 * agent but no runner of its own is listed too, so a missing sidecar (an old install, a crash loop) shows.
 */
export function nodeTools(status: AggregatorStatus): NodeTools[] {
  const runners = (status.toolRunners ?? []).map(
    (r): NodeTools => ({
      node: r.node,
      serves: r.serves,
      online: r.online,
      lastSeen: r.lastSeen,
      runnerVersion: r.version,
      tools: r.tools,
    }),
  );
  const withRunner = new Set(runners.filter((r) => r.serves === 'node').map((r) => r.node));
  const without = status.agents
    .filter((a) => !withRunner.has(a.node))
    .map(
      (a): NodeTools => ({
        node: a.node,
        serves: 'node',
        online: false,
        tools: [],
        problem: 'no tools runner heartbeat (the agent pod has no tools container, or it is not running)',
      }),
    );
  return [...runners, ...without].sort(
    (a, b) => a.node.localeCompare(b.node) || a.serves.localeCompare(b.serves),
  );
}

/** Table rows: one per node and tool (NODE, SERVES, TOOL, VERSION, STATUS). */
export function nodeToolRows(nodes: readonly NodeTools[]): string[][] {
  return [
    ['NODE', 'SERVES', 'TOOL', 'VERSION', 'STATUS'],
    ...nodes.flatMap((n) => {
      if (n.problem) return [[n.node, n.serves, '-', '-', n.problem]];
      const state = n.online ? undefined : `offline (last heartbeat ${n.lastSeen ?? 'never'})`;
      return n.tools.map((t) => [n.node, n.serves, t.tool, t.version ?? '-', state ?? t.problem ?? 'ok']);
    }),
  ];
}
