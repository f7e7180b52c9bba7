import { ApiKubeView } from './api-kube-view.js';
import { DirectoryKubeView } from './directory-kube-view.js';
import type { KubeView } from './kube-view.js';
import { loadKubeConfig } from './load-kube-config.js';

export interface OpenKubeViewOptions {
  /** A directory of YAML objects (`--kube-from DIR`): no cluster at all. */
  kubeFrom?: string;
  /** A kubeconfig file; otherwise KUBECONFIG, ~/.kube/config, or the pod's service account. */
  kubeconfig?: string;
  /** A context in the kubeconfig. */
  context?: string;
}

/** The KubeView the flags ask for: a directory when given one, else the cluster the kubeconfig names. */
export async function openKubeView(options: OpenKubeViewOptions = {}): Promise<KubeView> {
  if (options.kubeFrom) {
    if (options.kubeconfig || options.context) {
      throw new Error(
        '--kube-from reads a directory, not a cluster: it cannot be combined with --kubeconfig or --context',
      );
    }
    return DirectoryKubeView.load(options.kubeFrom);
  }
  return new ApiKubeView(loadKubeConfig({ kubeconfig: options.kubeconfig, context: options.context }));
}
