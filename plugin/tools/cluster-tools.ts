import type { AggregatorFlagValues } from '../cluster/aggregator-flags.js';
import { aggregatorRoute } from '../status/aggregator-route.js';
import { fetchAggregatorStatus } from '../status/fetch-aggregator-status.js';
import { type NodeTools, nodeTools } from './node-tools.js';

/** Each node's tools from the aggregator's status (`GET /status`), or why the cluster could not say. */
export async function clusterTools(
  flags: AggregatorFlagValues,
): Promise<{ nodes?: NodeTools[]; error?: string }> {
  try {
    const fetched = await fetchAggregatorStatus(aggregatorRoute(flags));
    if (!fetched.status)
      return {
        error: `cannot reach the seco aggregator${fetched.via ? ` (${fetched.via})` : ''}: ${fetched.error}`,
      };
    return { nodes: nodeTools(fetched.status) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
