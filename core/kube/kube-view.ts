import type { KubeObject } from './types.js';

export interface ListOptions {
  namespace?: string;
  /** kubectl-style label selector string. */
  labelSelector?: string;
}

/** What seco reads of a cluster: the Kubernetes API in a cluster, or a directory of YAML for demos and tests. */
export interface KubeView {
  list(kind: string, options?: ListOptions): Promise<KubeObject[]>;
  get(kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
}
