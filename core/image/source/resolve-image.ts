import { directoryStore, tarStore } from './blob-store.js';
import { resolveDockerArchive } from './docker-archive.js';
import type { Platform, ResolvedImage } from './image-source.js';
import { resolveOciLayout } from './oci-layout.js';
import { dockerConfigCredentials } from './registry/credentials.js';
import { parseReference } from './registry/reference.js';
import { RegistryClient } from './registry/registry-client.js';

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/** `PATH[:TAG]` — the tag is what follows the last colon, unless that is part of the path. */
function splitTag(spec: string): { path: string; tag?: string } {
  const colon = spec.lastIndexOf(':');
  if (colon <= 0 || spec.slice(colon + 1).includes('/')) return { path: spec };
  return { path: spec.slice(0, colon), tag: spec.slice(colon + 1) };
}

export interface ResolveOptions {
  platform?: Platform;
  /** Plain-HTTP registries (host[:port]) — `--insecure-registry`. */
  insecureRegistries?: readonly string[];
  /** Path of a docker config.json for registry credentials (default: $DOCKER_CONFIG or ~/.docker). */
  dockerConfig?: string;
}

/** Opens an image from a registry reference or a local `oci-layout:`, `oci-archive:`, `docker-archive:` one. */
export async function resolveImage(reference: string, options: ResolveOptions = {}): Promise<ResolvedImage> {
  const platform = options.platform ?? DEFAULT_PLATFORM;
  if (/^(oci-layout|oci-archive|docker-archive):/.test(reference))
    return resolveLocalImage(reference, platform);
  const ref = parseReference(reference);
  const credentials = await dockerConfigCredentials(ref.registry, options.dockerConfig);
  const insecure = options.insecureRegistries?.includes(ref.registry) ?? false;
  return new RegistryClient(ref, { ...(credentials ? { credentials } : {}), insecure }).resolve(
    platform,
    reference,
  );
}

/** Opens a local image: `oci-layout:DIR[:TAG]`, `oci-archive:PATH[:TAG]`, `docker-archive:PATH[:REPO:TAG]`. */
export async function resolveLocalImage(
  reference: string,
  platform = DEFAULT_PLATFORM,
): Promise<ResolvedImage> {
  const colon = reference.indexOf(':');
  const transport = colon > 0 ? reference.slice(0, colon) : '';
  const rest = reference.slice(colon + 1);
  switch (transport) {
    case 'oci-layout': {
      const { path, tag } = splitTag(rest);
      return resolveOciLayout(directoryStore(path), reference, tag, platform);
    }
    case 'oci-archive': {
      const { path, tag } = splitTag(rest);
      return resolveOciLayout(tarStore(path), reference, tag, platform);
    }
    case 'docker-archive': {
      const first = rest.indexOf(':');
      const path = first < 0 ? rest : rest.slice(0, first);
      return resolveDockerArchive(tarStore(path), reference, first < 0 ? undefined : rest.slice(first + 1));
    }
    default:
      throw new Error(
        `unsupported image reference ${JSON.stringify(reference)}: use oci-layout:DIR, oci-archive:PATH or docker-archive:PATH`,
      );
  }
}
