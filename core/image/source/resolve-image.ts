import { directoryStore, tarStore } from './blob-store.js';
import { DockerArchiveSource } from './docker-archive.js';
import { type Credentials, dockerConfigCredentials } from './docker-config.js';
import type { ImageSource, Platform, ResolvedImage } from './image-source.js';
import { OciLayoutSource } from './oci-layout.js';
import { parseReference } from './reference.js';
import { RegistrySource } from './registry.js';

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

export interface ResolveOptions {
  platform?: Platform;
  /** Plain-HTTP registries (host[:port]) — `--insecure-registry`. */
  insecureRegistries?: readonly string[];
  /** Path of a docker config.json for registry credentials (default: $DOCKER_CONFIG or ~/.docker). */
  dockerConfig?: string;
  /** Credentials to use instead of the docker config's (e.g. from an imagePullSecret). */
  credentials?: Credentials;
  timeoutMs?: number;
  /** Aborts every request and download of the pull (a job's deadline or no-progress timeout). */
  signal?: AbortSignal;
  /** Told of every chunk received: a pull that moves is making progress. */
  onProgress?: (bytes: number) => void;
}

const LOCAL = /^(oci-layout|oci|oci-archive|docker-archive):/;

/** `PATH[:TAG]`: the tag is what follows the last colon, unless that is part of the path. */
function splitTag(spec: string): { path: string; tag?: string } {
  const colon = spec.lastIndexOf(':');
  if (colon <= 0 || spec.slice(colon + 1).includes('/')) return { path: spec };
  return { path: spec.slice(0, colon), tag: spec.slice(colon + 1) };
}

/** The source for a reference: a registry image, or `oci-layout:`, `oci-archive:`, `docker-archive:`. */
export async function imageSource(reference: string, options: ResolveOptions = {}): Promise<ImageSource> {
  if (LOCAL.test(reference)) return localImageSource(reference);
  const ref = parseReference(reference);
  const credentials =
    options.credentials ?? (await dockerConfigCredentials(ref.registry, options.dockerConfig));
  return new RegistrySource(ref, {
    ...(credentials ? { credentials } : {}),
    insecure: options.insecureRegistries?.includes(ref.registry) ?? false,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/** Local images: `oci-layout:DIR[:TAG]` (also skopeo's `oci:`), `oci-archive:PATH[:TAG]`, `docker-archive:PATH[:REPO:TAG|:@N]`. */
export function localImageSource(reference: string): ImageSource {
  const colon = reference.indexOf(':');
  const transport = colon > 0 ? reference.slice(0, colon) : '';
  const rest = reference.slice(colon + 1);
  if (rest === '') throw new Error(`${JSON.stringify(reference)} names no path`);
  switch (transport) {
    case 'oci':
    case 'oci-layout': {
      const { path, tag } = splitTag(rest);
      return new OciLayoutSource(reference, directoryStore(path), tag);
    }
    case 'oci-archive': {
      const { path, tag } = splitTag(rest);
      return new OciLayoutSource(reference, tarStore(path), tag);
    }
    case 'docker-archive': {
      const first = rest.indexOf(':');
      const path = first < 0 ? rest : rest.slice(0, first);
      return new DockerArchiveSource(
        reference,
        tarStore(path),
        first < 0 ? undefined : rest.slice(first + 1),
      );
    }
    default:
      throw new Error(
        `unsupported image reference ${JSON.stringify(reference)}: use oci-layout:DIR, oci-archive:PATH or docker-archive:PATH`,
      );
  }
}

/** Opens an image from a registry reference or a local one, for the platform (linux/amd64 by default). */
export async function resolveImage(reference: string, options: ResolveOptions = {}): Promise<ResolvedImage> {
  return (await imageSource(reference, options)).resolve(options.platform ?? DEFAULT_PLATFORM);
}

/** Opens a local image (see `localImageSource`). */
export async function resolveLocalImage(
  reference: string,
  platform = DEFAULT_PLATFORM,
): Promise<ResolvedImage> {
  return localImageSource(reference).resolve(platform);
}
