import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { KubeObject } from './types.js';

export type PodEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchPodsOptions {
  /** One namespace; every namespace when undefined. */
  namespace?: string;
  /** Told about a failed watch before it is restarted (the watch itself never gives up). */
  onError?: (error: Error) => void;
  /** Pause before restarting after an error (default 1 s). */
  retryMs?: number;
}

/**
 * Streams pod changes: ADDED for every current pod first, then changes as they happen. A watch the
 * server ends (its timeout) resumes from the last resourceVersion seen; one that fails or has expired
 * (410) starts over, so pods may be reported ADDED again — handlers must be idempotent.
 * Returns a function that stops watching.
 */
export async function watchPods(
  kc: KubeConfig,
  handler: (event: PodEvent, pod: KubeObject) => void,
  options: WatchPodsOptions = {},
): Promise<() => void> {
  const path = options.namespace
    ? `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods`
    : '/api/v1/pods';
  const watch = new Watch(kc);
  let stopped = false;
  let controller: AbortController | undefined;
  let resourceVersion: string | undefined;
  const start = async (): Promise<void> => {
    if (stopped) return;
    controller = await watch.watch(
      path,
      { allowWatchBookmarks: true, resourceVersion },
      (type, object: KubeObject) => {
        const version = object?.metadata?.resourceVersion;
        if (type === 'ERROR') {
          // A 410 Expired Status: the resourceVersion is too old; list again from now.
          resourceVersion = undefined;
          return;
        }
        if (typeof version === 'string') resourceVersion = version;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
          handler(type, { apiVersion: 'v1', kind: 'Pod', ...object });
        }
      },
      (error: unknown) => {
        if (stopped) return;
        if (error) {
          resourceVersion = undefined;
          options.onError?.(error instanceof Error ? error : new Error(String(error)));
          setTimeout(() => void start().catch(restartLater), options.retryMs ?? 1000);
        } else {
          void start().catch(restartLater);
        }
      },
    );
  };
  const restartLater = (error: unknown) => {
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
    if (!stopped) setTimeout(() => void start().catch(restartLater), options.retryMs ?? 1000);
  };
  await start();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
