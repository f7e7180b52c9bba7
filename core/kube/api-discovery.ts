import { groupVersionPath, resourcePath } from './kube-kinds.js';
import { KubeApiError, type KubeRest } from './kube-rest.js';

export interface ServedResource {
  /** Plural, lower-case: the URL segment. */
  resource: string;
  namespaced: boolean;
}

interface ResourceList {
  resources?: Array<{ name?: string; kind?: string; namespaced?: boolean }>;
}

/**
 * Which REST resource serves a kind, from the API server's own discovery documents (one request per
 * group/version, cached), so writing any object needs no table of plurals.
 */
export class ApiDiscovery {
  private readonly lists = new Map<string, Promise<ResourceList>>();

  constructor(private readonly rest: KubeRest) {}

  async resourceFor(apiVersion: string, kind: string): Promise<ServedResource> {
    const list = await this.resourceList(apiVersion);
    // Subresources (pods/status) share the kind; the plain resource has no slash.
    const found = list.resources?.find((r) => r.kind === kind && r.name && !r.name.includes('/'));
    if (!found?.name) throw new Error(`${this.rest.target} does not serve kind ${kind} in ${apiVersion}`);
    return { resource: found.name, namespaced: found.namespaced === true };
  }

  /** The REST path of one object (or its collection when `name` is undefined). */
  async pathFor(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name?: string,
  ): Promise<string> {
    const served = await this.resourceFor(apiVersion, kind);
    if (served.namespaced && !namespace)
      throw new Error(`${kind} ${name ?? ''} needs a namespace`.replace('  ', ' '));
    return resourcePath({ kind, apiVersion, ...served }, namespace, name);
  }

  private resourceList(apiVersion: string): Promise<ResourceList> {
    let list = this.lists.get(apiVersion);
    if (!list) {
      list = this.rest.json<ResourceList>({ path: groupVersionPath(apiVersion) }).catch((error: unknown) => {
        this.lists.delete(apiVersion);
        if (error instanceof KubeApiError && error.status === 404) {
          throw new Error(`${this.rest.target} does not serve ${apiVersion}`);
        }
        throw error;
      });
      this.lists.set(apiVersion, list);
    }
    return list;
  }
}
