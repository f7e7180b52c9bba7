import type { AggregatorFlagValues } from '../cluster/aggregator-flags.js';
import { aggregatorRoute } from './aggregator-route.js';
import { fetchAggregatorStatus } from './fetch-aggregator-status.js';
import type { VersionReport } from './version-report.js';

/** The build of the aggregator replica that answers `/status`, or why none did. */
export async function serverVersion(
  flags: AggregatorFlagValues,
): Promise<{ server?: NonNullable<VersionReport['serverVersion']>; error?: string }> {
  let fetched: Awaited<ReturnType<typeof fetchAggregatorStatus>>;
  try {
    fetched = await fetchAggregatorStatus(aggregatorRoute(flags));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (!fetched.status)
    return {
      error: `cannot reach the seco aggregator${fetched.via ? ` (${fetched.via})` : ''}: ${fetched.error}`,
    };
  const { version, commit, replica } = fetched.status;
  return { server: { version, commit, replica } };
}
