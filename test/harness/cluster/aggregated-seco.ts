import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesAccess } from '../../../aggregator/kube-access.js';
import { RequestHeaderSource } from '../../../aggregator/request-header-source.js';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { ApiKubeView } from '../../../core/kube/api-kube-view.js';
import { loadKubeConfig } from '../../../core/kube/load-kube-config.js';
import type { KubeObject } from '../../../core/kube/types.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import type { KeyPairPem } from '../../../core/tls/forge-certificate.js';
import type { AccessRule, KubeUser } from '../kube-api/auth.js';
import { type RunningKubeApi, startKubeApi } from '../kube-api/start-kube-api.js';
import { WireTap } from '../kube-api/wire-tap.js';
import { DEMO_NODES, readManifests, withRunningPods } from './demo-cluster.js';
import { falcoAlertPod } from './falco-alert-pod.js';
import { registerSecoApiService, secoServingCertificates } from './seco-api-service.js';
import { sharedBus } from './shared-bus.js';
import { type RunningStack, startStack } from './start-stack.js';

/**
 * The cluster these tests run against: the demo app's pods on node-a and node-b, the Nodes themselves,
 * and shop/web-7d9 on node-a (the pod test/fixtures/runtime/falco-alert.json is about).
 */
export function demoClusterWithAlertPod(): KubeObject[] {
  const node = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: {},
  });
  return [
    ...withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
    ...falcoAlertPod('node-a'),
    node('node-a'),
    node('node-b'),
  ];
}

export interface AggregatedSecoOptions {
  seed: KubeObject[];
  tokens: Record<string, KubeUser>;
  rules: AccessRule[];
  /** Users who get a kubeconfig file (`api.kubeconfigPath(user)`). */
  users: string[];
  /** Put a wire tap between the API server and the aggregator (what reaches seco is recorded). */
  tap?: boolean;
}

export interface AggregatedSeco {
  api: RunningKubeApi;
  stack: RunningStack;
  bus: MemoryBus;
  servingCa: KeyPairPem;
  /** The aggregator's own TLS API port (behind the API server). */
  apiPort: number;
  tap?: WireTap;
  stop(): Promise<void>;
}

/**
 * seco behind the API harness's aggregation layer, as a cluster runs it: the aggregator (with two demo
 * agents) serves seco.dev over TLS, trusts the requestheader CA from extension-apiserver-authentication,
 * authorizes with SubjectAccessReviews against the harness's RBAC rules, and is registered by an
 * APIService — the real kubectl and `kubectl seco` reach it only through the API server.
 */
export async function startAggregatedSeco(options: AggregatedSecoOptions): Promise<AggregatedSeco> {
  const api = await startKubeApi({ seed: options.seed, tokens: options.tokens, rules: options.rules });
  for (const user of options.users) api.kubeconfigPath(user);
  const admin = loadKubeConfig({ kubeconfig: api.kubeconfigPath() });
  const kube = new ApiKubeView(admin);
  const { ca: servingCa, serving } = secoServingCertificates();
  const bus = new MemoryBus({ ackWaitMs: 4000, maxDeliver: 3 });
  const stack = await startStack({
    bus: async () => sharedBus(bus),
    store: new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-aggregated-'))),
    kube,
    kubeAccess: new KubernetesAccess(admin),
    nodes: DEMO_NODES,
    // Whom to believe comes from kube-system/extension-apiserver-authentication, as in a cluster.
    secureApi: { requestHeader: RequestHeaderSource.fromCluster(kube, () => undefined), tls: serving },
  });
  const apiPort = stack.aggregators[0]!.apiPort!;
  const tap = options.tap
    ? await WireTap.start(serving, `https://127.0.0.1:${apiPort}`, {
        ...api.aggregation.proxyClient,
        ca: servingCa.cert,
      })
    : undefined;
  registerSecoApiService(api, servingCa.cert, tap?.url ?? `https://127.0.0.1:${apiPort}`);
  return {
    api,
    stack,
    bus,
    servingCa,
    apiPort,
    ...(tap ? { tap } : {}),
    stop: async () => {
      await tap?.stop();
      await stack.stop();
      await api.stop();
    },
  };
}
