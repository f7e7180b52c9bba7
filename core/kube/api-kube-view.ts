import type { KubeConfig } from '@kubernetes/client-node';
import { type KindInfo, KUBE_KINDS, kindInfo, resourcePath } from './kube-kinds.js';
import { KubeApiError, KubeRest } from './kube-rest.js';
import type { KubeView, ListOptions } from './kube-view.js';
import type { KubeObject } from './types.js';
import { type PodEvent, type WatchPodsOptions, watchPods } from './watch-pods.js';

interface ObjectList {
  items?: KubeObject[];
  metadata?: { continue?: string };
}

export interface ApiKubeViewOptions {
  /** The kinds it may read (default KUBE_KINDS). */
  kinds?: readonly KindInfo[];
  /** Items per page; default 500, kubectl's chunk size, so a huge cluster never comes in one body. */
  pageSize?: number;
}

/**
 * The Kubernetes API as a KubeView. Objects come back as the server's plain JSON, with apiVersion and
 * kind set on list items (the API leaves them off), as DirectoryKubeView returns them.
 */
export class ApiKubeView implements KubeView {
  private readonly rest: KubeRest;
  private readonly kinds: readonly KindInfo[];
  private readonly pageSize: number;

  constructor(
    private readonly kc: KubeConfig,
    options: ApiKubeViewOptions = {},
  ) {
    this.rest = new KubeRest(kc);
    this.kinds = options.kinds ?? KUBE_KINDS;
    this.pageSize = options.pageSize ?? 500;
  }

  async list(kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const info = kindInfo(kind, this.kinds);
    if (info.getOnly) throw new Error(`seco reads ${kind} objects one by one by name, never as a list`);
    const path = resourcePath(info, options.namespace);
    const out: KubeObject[] = [];
    let token: string | undefined;
    do {
      let page: ObjectList;
      try {
        page = await this.rest.json<ObjectList>({
          path,
          query: { labelSelector: options.labelSelector, limit: this.pageSize, continue: token },
        });
      } catch (error) {
        // A cluster without Istio has no PeerAuthentication resource at all: nothing to read, not a failure.
        if (info.optional && error instanceof KubeApiError && error.status === 404) return [];
        throw this.explain(error, 'list', info, options.namespace);
      }
      for (const item of page.items ?? []) out.push(withType(item, info));
      token = page.metadata?.continue || undefined;
    } while (token);
    return out;
  }

  async get(kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const info = kindInfo(kind, this.kinds);
    if (info.namespaced && namespace === undefined) {
      // The directory view searches every namespace; the API needs one, so do what it would: find by name.
      const found = await this.list(kind, {});
      return found.find((o) => o.metadata?.name === name);
    }
    try {
      return withType(await this.rest.json<KubeObject>({ path: resourcePath(info, namespace, name) }), info);
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw this.explain(error, 'get', info, namespace, name);
    }
  }

  /** Pod changes as they happen (see watch-pods.ts); resolves to a function that stops the watch. */
  watchPods(
    handler: (event: PodEvent, pod: KubeObject) => void,
    options?: WatchPodsOptions,
  ): Promise<() => void> {
    return watchPods(this.kc, handler, options);
  }

  private explain(error: unknown, verb: string, info: KindInfo, namespace?: string, name?: string): Error {
    const what = `${verb} ${info.kind}${name ? ` ${name}` : ''}${
      info.namespaced ? (namespace ? ` in namespace ${namespace}` : ' in all namespaces') : ''
    }`;
    if (!(error instanceof KubeApiError)) return error instanceof Error ? error : new Error(String(error));
    const why =
      error.status === 401
        ? `the credentials of ${this.rest.target} were refused (401 Unauthorized)`
        : error.status === 403
          ? `forbidden (403): ${error.message}`
          : error.status === 404
            ? `not found (404) on ${this.rest.target}: ${error.message}`
            : `HTTP ${error.status}: ${error.message}`;
    return new KubeApiError(`cannot ${what}: ${why}`, error.status, error.reason);
  }
}

function withType(object: KubeObject, info: KindInfo): KubeObject {
  return { apiVersion: info.apiVersion, kind: info.kind, ...object };
}
