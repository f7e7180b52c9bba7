import { Flags } from '@oclif/core';
import { DEFAULT_SECO_NAMESPACE, kubeFlags } from './kube-flags.js';

/**
 * How the cluster commands reach the aggregator: through the API server with kubectl's flags (the
 * aggregated API seco.dev; the kubeconfig's credentials go to the API server only), or a direct URL
 * and a static token.
 */
export const aggregatorFlags = {
  ...kubeFlags,
  'aggregator-url': Flags.string({
    description: 'reach the aggregator directly (ws://HOST:PORT/ws) instead of through the API server',
    env: 'SECO_AGGREGATOR_URL',
  }),
  token: Flags.string({ description: 'bearer token for --aggregator-url', env: 'SECO_TOKEN' }),
  'token-file': Flags.string({
    description: 'file holding the bearer token for --aggregator-url (keeps it out of ps)',
    env: 'SECO_TOKEN_FILE',
  }),
  'seco-namespace': Flags.string({
    description: 'namespace seco is installed in',
    default: DEFAULT_SECO_NAMESPACE,
  }),
};

export interface AggregatorFlagValues {
  kubeconfig?: string;
  context?: string;
  'aggregator-url'?: string;
  token?: string;
  'token-file'?: string;
  'seco-namespace': string;
}
