import { loadKubeConfig } from '../../core/kube/load-kube-config.js';
import type { AggregatorFlagValues } from '../cluster/aggregator-flags.js';
import { directToken } from '../cluster/direct-token.js';
import type { AggregatorRoute } from './fetch-aggregator-status.js';

/** How the flags say to reach the aggregator's `/status`: `--aggregator-url`, else the API server's service proxy. */
export function aggregatorRoute(flags: AggregatorFlagValues): AggregatorRoute {
  return flags['aggregator-url']
    ? { kind: 'direct', url: flags['aggregator-url'], token: directToken(flags) }
    : {
        kind: 'service-proxy',
        kc: loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context }),
        namespace: flags['seco-namespace'],
      };
}
