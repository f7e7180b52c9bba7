import { Flags } from '@oclif/core';
import { DEFAULT_SECO_NAMESPACE, kubeFlags } from './kube-flags.js';

/** How the cluster commands reach the aggregator: kubectl's flags, or a direct URL and token. */
export const aggregatorFlags = {
  ...kubeFlags,
  'aggregator-url': Flags.string({
    description: 'reach the aggregator directly (ws://HOST:PORT/ws) instead of through the API server',
    env: 'SECO_AGGREGATOR_URL',
  }),
  token: Flags.string({ description: 'bearer token for --aggregator-url', env: 'SECO_TOKEN' }),
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
  'seco-namespace': string;
}
