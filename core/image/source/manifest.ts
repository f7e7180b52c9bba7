import { checkDigest, type Descriptor, MAX_INDEX_DEPTH, type Platform } from './image-source.js';

// Media types: image-spec media-types.md and Docker's "Image Manifest V2, Schema 2".
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_SCHEMA1 = /^application\/vnd\.docker\.distribution\.manifest\.v1\+(prettyjws|json)$/;

/** The `Accept` header for manifest requests: every type seco reads, indexes first. */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');

export type ManifestDocument =
  | { kind: 'index'; manifests: Descriptor[] }
  | { kind: 'image'; config: Descriptor; layers: Descriptor[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A descriptor with every field type-checked; `what` names it in errors. */
export function parseDescriptor(value: unknown, what: string): Descriptor {
  if (!isObject(value)) throw new Error(`${what} is not a descriptor object`);
  const { mediaType, digest, size, annotations, platform } = value;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw new Error(`${what} has an invalid size ${JSON.stringify(size)}`);
  const descriptor: Descriptor = {
    mediaType: typeof mediaType === 'string' ? mediaType : '',
    digest: checkDigest(digest),
    size,
  };
  if (isObject(annotations))
    descriptor.annotations = Object.fromEntries(
      Object.entries(annotations).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  if (isObject(platform) && typeof platform.os === 'string' && typeof platform.architecture === 'string')
    descriptor.platform = {
      os: platform.os,
      architecture: platform.architecture,
      ...(typeof platform.variant === 'string' ? { variant: platform.variant } : {}),
    };
  return descriptor;
}

/**
 * Parses a manifest or an index. The media type comes from the document, else from the transport
 * (Content-Type, or the descriptor that pointed here); schema 1 manifests are refused by name.
 */
export function parseManifest(bytes: Buffer, what: string, outerType = ''): ManifestDocument {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
  if (!isObject(body)) throw new Error(`${what} is not a JSON object`);
  const mediaType = typeof body.mediaType === 'string' ? body.mediaType : outerType;
  if (DOCKER_SCHEMA1.test(mediaType) || body.schemaVersion === 1)
    throw new Error(`${what} is a Docker schema 1 manifest, which is deprecated and not supported`);
  if (mediaType === OCI_INDEX || mediaType === DOCKER_LIST || (!mediaType && Array.isArray(body.manifests))) {
    if (!Array.isArray(body.manifests)) throw new Error(`${what} is an index without a manifests list`);
    return {
      kind: 'index',
      manifests: body.manifests.map((m, i) => parseDescriptor(m, `${what} manifests[${i}]`)),
    };
  }
  if (!Array.isArray(body.layers)) throw new Error(`${what} has no layers list`);
  return {
    kind: 'image',
    config: parseDescriptor(body.config, `${what} config`),
    layers: body.layers.map((l, i) => parseDescriptor(l, `${what} layers[${i}]`)),
  };
}

/**
 * From an index, the manifest for the platform (image-spec image-index.md `platform`): os and
 * architecture must match; a requested variant must match too, and without one an entry with no
 * variant or the architecture's usual one (arm64 → v8) is preferred. Attestation manifests
 * (`unknown/unknown`) never match.
 */
export function pickPlatform(manifests: readonly Descriptor[], platform: Platform, what: string): Descriptor {
  const candidates = manifests.filter(
    (m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture,
  );
  const match = platform.variant
    ? candidates.find((m) => m.platform?.variant === platform.variant)
    : (candidates.find((m) => !m.platform?.variant || m.platform.variant === 'v8') ?? candidates[0]);
  if (!match) {
    const have = manifests
      .map((m) =>
        m.platform
          ? `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ''}`
          : '?',
      )
      .join(', ');
    const wanted = `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
    throw new Error(`no manifest for ${wanted} in ${what} (it has ${have || 'none'})`);
  }
  return match;
}

/** An image manifest reached from a reference, with its own digest (the image's identity). */
export interface ImageManifest {
  digest: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** Follows indexes down to the platform's image manifest, loading each level with `load`. */
export async function descendToImage(
  document: ManifestDocument,
  digest: string,
  platform: Platform,
  load: (descriptor: Descriptor) => Promise<ManifestDocument>,
): Promise<ImageManifest> {
  for (let depth = 0; document.kind === 'index'; depth++) {
    if (depth >= MAX_INDEX_DEPTH)
      throw new Error(`image indexes nested deeper than ${MAX_INDEX_DEPTH} (from ${digest})`);
    const chosen = pickPlatform(document.manifests, platform, `index ${digest}`);
    digest = chosen.digest;
    document = await load(chosen);
  }
  return { digest, config: document.config, layers: document.layers };
}
