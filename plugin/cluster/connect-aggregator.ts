import { AggregatorClient } from './aggregator-client.js';
import type { AggregatorFlagValues } from './aggregator-flags.js';
import { openDirectSocket, openServiceProxySocket } from './service-proxy-socket.js';

/**
 * Opens a session: through the API server's service proxy with the user's own kubeconfig credentials
 * (the aggregator reviews the token from `hello`, since the proxy drops the Authorization header), or
 * straight to `--aggregator-url` with `--token`.
 */
export async function connectAggregator(
  flags: AggregatorFlagValues,
): Promise<{ client: AggregatorClient; user: string; describe: string }> {
  const opened = flags['aggregator-url']
    ? await openDirectSocket(flags['aggregator-url'], { token: flags.token })
    : await openServiceProxySocket(
        { namespace: flags['seco-namespace'], service: 'seco-aggregator', port: 'http', path: '/ws' },
        { kubeconfig: flags.kubeconfig, context: flags.context },
      );
  const client = new AggregatorClient(opened.socket);
  try {
    const user = await client.hello(flags.token ?? opened.token);
    return { client, user, describe: opened.describe };
  } catch (error) {
    client.close();
    throw new Error(`${opened.describe}: ${(error as Error).message}`);
  }
}
