import { AggregatorClient, AggregatorError } from './aggregator-client.js';
import type { AggregatorFlagValues } from './aggregator-flags.js';
import { aggregatorSocketUrl } from './aggregator-url.js';
import { explainConnectError } from './connect-errors.js';
import { openDirectSocket, openServiceProxySocket } from './service-proxy-socket.js';

/**
 * Opens a session: through the API server's service proxy with the user's own kubeconfig credentials
 * (the aggregator reviews the token from `hello`, since the proxy drops the Authorization header), or
 * straight to `--aggregator-url` with `--token`. A failure says what to fix (connect-errors.ts).
 */
export async function connectAggregator(
  flags: AggregatorFlagValues,
): Promise<{ client: AggregatorClient; user: string; describe: string }> {
  try {
    return await connect(flags);
  } catch (error) {
    throw explainConnectError(error as Error, flags);
  }
}

async function connect(flags: AggregatorFlagValues) {
  const opened = flags['aggregator-url']
    ? await openDirectSocket(aggregatorSocketUrl(flags['aggregator-url']), { token: flags.token })
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
    const message = `${opened.describe}: ${(error as Error).message}`;
    throw error instanceof AggregatorError ? new AggregatorError(error.code, message) : new Error(message);
  }
}
