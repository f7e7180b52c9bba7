import type { KubeConfig } from '@kubernetes/client-node';
import { KubeRest } from '../../core/kube/kube-rest.js';
import { type PinnedImage, pinImages } from './pin-images.js';
import { readPullSecretKeyring } from './pull-secret.js';
import type { RenderedBase } from './render-base.js';
import { renderStack } from './render-stack.js';
import type { StackSettings } from './stack-settings.js';

export interface PrepareOptions {
  /** Needed only to read `--image-pull-secret`: `--dry-run` otherwise touches no cluster. */
  kc?: KubeConfig;
  /** `--no-resolve`: keep the tags. */
  noResolve?: boolean;
  insecureRegistries?: readonly string[];
  /** Where notes for the user go (stderr): the pinned digests, or that tags were kept. */
  note: (line: string) => void;
}

/**
 * The stack exactly as install applies it and `--dry-run` prints it: rendered, then every image
 * pinned to its digest through seco's own registry client (with the pull secret's credentials).
 */
export async function prepareStack(
  dir: string,
  settings: StackSettings,
  options: PrepareOptions,
): Promise<{ base: RenderedBase; pinned: PinnedImage[] }> {
  const base = await renderStack(dir, settings);
  if (options.noResolve) {
    options.note('--no-resolve: images keep their tags and are not pinned to digests');
    return { base, pinned: [] };
  }
  let keyring: Awaited<ReturnType<typeof readPullSecretKeyring>> = [];
  if (settings.imagePullSecret) {
    if (!options.kc) throw new Error('--image-pull-secret needs a cluster to read the Secret from');
    keyring = await readPullSecretKeyring(
      new KubeRest(options.kc),
      settings.namespace,
      settings.imagePullSecret,
    );
  }
  const pinned = await pinImages(base.objects, {
    keyring,
    ...(options.insecureRegistries ? { insecureRegistries: options.insecureRegistries } : {}),
  });
  for (const { pinned: ref } of pinned) options.note(`image ${ref}`);
  return { base, pinned };
}
