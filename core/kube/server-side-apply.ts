import type { ApiDiscovery } from './api-discovery.js';
import { KubeApiError, type KubeRest } from './kube-rest.js';
import type { KubeObject } from './types.js';

export interface ApplyOptions {
  /** Who owns the applied fields (kubectl's --field-manager). */
  fieldManager: string;
  /** Take over fields another manager owns instead of failing (kubectl's --force-conflicts). */
  force?: boolean;
  /** Ask the server to validate and answer without storing (`dryRun=All`). */
  dryRun?: boolean;
}

/** `Namespace/seco-system`, `Deployment seco-system/seco-aggregator`: how messages name an object. */
export function objectRef(object: KubeObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind}/${ns ? `${ns}/` : ''}${object.metadata?.name ?? '(no name)'}`;
}

/**
 * Server-side apply of one object, exactly as written (no client-side model in between): the server
 * merges it with what the field manager applied before, so a re-run changes only what changed.
 */
export async function serverSideApply(
  rest: KubeRest,
  discovery: ApiDiscovery,
  object: KubeObject,
  options: ApplyOptions,
): Promise<KubeObject> {
  const { apiVersion, kind, metadata } = object;
  if (!apiVersion || !kind || !metadata?.name)
    throw new Error(`cannot apply ${objectRef(object)}: it needs apiVersion, kind and metadata.name`);
  try {
    const path = await discovery.pathFor(apiVersion, kind, metadata.namespace, metadata.name);
    return await rest.json<KubeObject>({
      method: 'PATCH',
      path,
      query: {
        fieldManager: options.fieldManager,
        force: options.force || undefined,
        dryRun: options.dryRun ? 'All' : undefined,
      },
      // JSON is YAML: the apply content type takes either.
      contentType: 'application/apply-patch+yaml',
      body: object,
    });
  } catch (error) {
    throw new Error(`cannot apply ${objectRef(object)}: ${describeError(error)}`);
  }
}

/** Deletes one object; undefined when it was already gone. */
export async function deleteObject(
  rest: KubeRest,
  discovery: ApiDiscovery,
  object: KubeObject,
): Promise<'deleted' | 'not found'> {
  const { apiVersion, kind, metadata } = object;
  try {
    const path = await discovery.pathFor(
      apiVersion ?? '',
      kind ?? '',
      metadata?.namespace,
      metadata?.name ?? '',
    );
    // Background: the garbage collector removes what the object owns (ReplicaSets, Pods), as kubectl does.
    await rest.json({
      method: 'DELETE',
      path,
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    });
    return 'deleted';
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return 'not found';
    throw new Error(`cannot delete ${objectRef(object)}: ${describeError(error)}`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof KubeApiError) {
    const code =
      error.status === 403 ? 'forbidden' : error.status === 401 ? 'unauthorized' : `HTTP ${error.status}`;
    return `${code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
