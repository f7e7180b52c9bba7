import type { ApiDiscovery } from './api-discovery.js';
import type { KubeRest } from './kube-rest.js';
import { ROLLOUT_KINDS, rolloutState } from './rollout-status.js';
import { objectRef } from './server-side-apply.js';
import type { KubeObject } from './types.js';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Called when what an object waits for changes. */
  onProgress?: (ref: string, waiting: string) => void;
}

/** Polls each Deployment, StatefulSet and DaemonSet until it has rolled out; throws naming those that did not. */
export async function waitForRollout(
  rest: KubeRest,
  discovery: ApiDiscovery,
  objects: readonly KubeObject[],
  options: WaitOptions,
): Promise<void> {
  const pending = new Map(
    objects.filter((o) => ROLLOUT_KINDS.has(o.kind ?? '')).map((o) => [objectRef(o), o]),
  );
  const last = new Map<string, string>();
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    for (const [ref, object] of pending) {
      const path = await discovery.pathFor(
        object.apiVersion!,
        object.kind!,
        object.metadata?.namespace,
        object.metadata?.name,
      );
      const state = rolloutState(await rest.json<KubeObject>({ path }));
      if (state.failed) throw new Error(`${ref}: ${state.waiting}`);
      if (state.done) pending.delete(ref);
      if (last.get(ref) !== state.waiting) {
        last.set(ref, state.waiting);
        options.onProgress?.(ref, state.done ? 'rolled out' : `waiting for ${state.waiting}`);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() >= deadline) {
      const lines = [...pending.keys()].map((ref) => `${ref} (waiting for ${last.get(ref)})`);
      throw new Error(
        `timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${lines.join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 2000));
  }
}
