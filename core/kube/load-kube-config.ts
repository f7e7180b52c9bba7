import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigOptions {
  /** A kubeconfig file (kubectl's --kubeconfig); otherwise KUBECONFIG, ~/.kube/config, or in-cluster. */
  kubeconfig?: string;
  /** A context in that kubeconfig (kubectl's --context); otherwise its current-context. */
  context?: string;
  /** Where the environment comes from; tests pass their own. */
  env?: NodeJS.ProcessEnv;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Loads credentials the way kubectl finds them: an explicit file, then KUBECONFIG, then
 * ~/.kube/config, then the pod's service account when running in a cluster. Unlike
 * client-node's loadFromDefault, finding nothing is an error rather than a silent localhost:8080.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  const defaultFile = join(env.HOME ?? homedir(), '.kube', 'config');
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) throw new Error(`kubeconfig ${options.kubeconfig} does not exist`);
    kc.loadFromFile(options.kubeconfig);
  } else if (env.KUBECONFIG) {
    const [first, ...rest] = env.KUBECONFIG.split(':').filter(Boolean);
    if (first) kc.loadFromFile(first);
    for (const file of rest) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      kc.mergeConfig(more, true);
    }
  } else if (existsSync(defaultFile)) {
    kc.loadFromFile(defaultFile);
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster();
  } else {
    throw new Error(
      `no kubeconfig: give --kubeconfig, set KUBECONFIG or create ${defaultFile} (or run inside a cluster)`,
    );
  }
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new Error(
        `context ${options.context} is not in the kubeconfig (it has: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new Error(`kubeconfig context ${kc.getCurrentContext() || '(none)'} names no cluster`);
  }
  return kc;
}

/** The server and context a KubeConfig points at, for error messages. */
export function describeTarget(kc: KubeConfig): string {
  return `context ${kc.getCurrentContext() || '(none)'} (${kc.getCurrentCluster()?.server ?? 'no server'})`;
}
