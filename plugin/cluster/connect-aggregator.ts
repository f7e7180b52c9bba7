import { AggregatorClient, AggregatorError } from './aggregator-client.js';
import type { AggregatorFlagValues } from './aggregator-flags.js';
import { aggregatorSocketUrl } from './aggregator-url.js';
import { explainConnectError } from './connect-errors.js';
import { directToken } from './direct-token.js';
import { openAggregatedApiSocket, openDirectSocket } from './service-proxy-socket.js';

/**
 * Opens a session: through the API server's aggregation layer (`/apis/seco.dev/v1alpha1/sessions/client`,
 * upgraded as `kubectl exec` upgrades), where the kubeconfig's credentials authenticate the user to the
 * API server only and seco learns who it is from the API server — `hello` carries no token; or straight
 * to `--aggregator-url` with a static token (`--token-file`, `--token`, `SECO_TOKEN`). A failure says
 * what to fix (connect-errors.ts).
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
  const token = flags['aggregator-url'] ? directToken(flags) : undefined;
  const opened = flags['aggregator-url']
    ? await openDirectSocket(aggregatorSocketUrl(flags['aggregator-url']), { token })
    : await openAggregatedApiSocket({ kubeconfig: flags.kubeconfig, context: flags.context });
  const client = new AggregatorClient(opened.socket);
  try {
    const user = await client.hello(token);
    return { client, user, describe: opened.describe };
  } catch (error) {
    client.close();
    const message = `${opened.describe}: ${(error as Error).message}`;
    throw error instanceof AggregatorError ? new AggregatorError(error.code, message) : new Error(message);
  }
}
