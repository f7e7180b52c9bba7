import { type KeyringEntry, keyringCredentials } from '../../core/image/pull-secret-credentials.js';
import { dockerConfigCredentials } from '../../core/image/source/docker-config.js';
import { formatReference, parseReference } from '../../core/image/source/reference.js';
import { RegistrySource } from '../../core/image/source/registry.js';
import { containersOf, podTemplateOf } from '../../core/kube/pod-template.js';
import type { KubeObject } from '../../core/kube/types.js';

export interface PinOptions {
  /** Credentials of `--image-pull-secret`, tried before the user's docker config. */
  keyring?: readonly KeyringEntry[];
  /** Registries (host[:port]) spoken to over plain HTTP besides loopback ones (`--insecure-registry`). */
  insecureRegistries?: readonly string[];
  timeoutMs?: number;
}

/** Images whose tags could not be turned into digests, each with why; the CLI exits 2 on it. */
export class ImageResolutionError extends Error {
  constructor(readonly failures: ReadonlyArray<{ image: string; why: string }>) {
    const hint = '(--no-resolve installs the tags as they are)';
    super(
      failures.length === 1
        ? `cannot resolve image ${failures[0]!.image} to a digest: ${failures[0]!.why} ${hint}`
        : `cannot resolve ${failures.length} images to digests: ${failures.map((f) => `${f.image}: ${f.why}`).join('; ')} ${hint}`,
    );
    this.name = 'ImageResolutionError';
  }
}

export interface PinnedImage {
  image: string;
  pinned: string;
}

/** A registry on this machine (a test or a port-forwarded mirror) is plain HTTP, as Docker assumes for it. */
function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '');
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function containerImages(objects: readonly KubeObject[]): Array<{ image?: string }> {
  return objects.flatMap((object) => {
    const template = podTemplateOf(object);
    return template ? containersOf(template.spec).map((entry) => entry.container) : [];
  });
}

async function resolveDigest(image: string, options: PinOptions): Promise<string> {
  const ref = parseReference(image);
  const credentials =
    keyringCredentials(options.keyring ?? [], ref)[0] ?? (await dockerConfigCredentials(ref.registry));
  const source = new RegistrySource(ref, {
    ...(credentials ? { credentials } : {}),
    insecure: isLoopback(ref.registry) || (options.insecureRegistries ?? []).includes(ref.registry),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return formatReference({ ...ref, digest: await source.manifestDigest() });
}

/**
 * Pins every container image to the digest its registry serves for the tag now (`name:tag@sha256:…`;
 * the kubelet pulls by the digest, the tag stays for people reading it). Each distinct image is asked
 * once; an index keeps the index's digest, so every node still pulls its own platform.
 */
export async function pinImages(
  objects: readonly KubeObject[],
  options: PinOptions = {},
): Promise<PinnedImage[]> {
  const containers = containerImages(objects);
  const distinct = [
    ...new Set(containers.map((c) => c.image).filter((i): i is string => typeof i === 'string')),
  ];
  const settled = await Promise.allSettled(distinct.map((image) => resolveDigest(image, options)));
  const failures = settled.flatMap((result, i) =>
    result.status === 'rejected' ? [{ image: distinct[i]!, why: (result.reason as Error).message }] : [],
  );
  if (failures.length > 0) throw new ImageResolutionError(failures);
  const pinned = settled.map((result, i) => ({
    image: distinct[i]!,
    pinned: (result as PromiseFulfilledResult<string>).value,
  }));
  const byImage = new Map(pinned.map((p) => [p.image, p.pinned]));
  for (const container of containers) if (container.image) container.image = byImage.get(container.image)!;
  return pinned;
}
