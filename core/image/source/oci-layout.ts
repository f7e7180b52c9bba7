import { verifyingDigest } from '../layers/walk-layers.js';
import type { BlobStore } from './blob-store.js';
import {
  checkDigest,
  type Descriptor,
  type ImageConfig,
  INDEX_TYPES,
  type Platform,
  pickPlatform,
  type ResolvedImage,
} from './image-source.js';

const blobPath = (digest: string) => `blobs/${checkDigest(digest).replace(':', '/')}`;

function descriptors(value: unknown, what: string): Descriptor[] {
  const list = (value as { manifests?: unknown })?.manifests;
  if (!Array.isArray(list)) throw new Error(`${what} has no manifests list`);
  return list as Descriptor[];
}

/** An OCI image layout (image-spec image-layout.md), in a directory or an archive. */
export async function resolveOciLayout(
  store: BlobStore,
  reference: string,
  tag: string | undefined,
  platform: Platform,
): Promise<ResolvedImage> {
  const index = await store.readJson('index.json');
  const entries = descriptors(index, 'index.json');
  let descriptor =
    tag === undefined
      ? entries[0]
      : entries.find((d) => d.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!descriptor)
    throw new Error(
      tag === undefined
        ? 'index.json lists no image'
        : `no image tagged ${JSON.stringify(tag)} in index.json`,
    );
  // Nested indexes (multi-platform images) are followed to the platform's manifest.
  for (let depth = 0; INDEX_TYPES.has(descriptor.mediaType); depth++) {
    if (depth > 4) throw new Error('image indexes nested too deep');
    descriptor = pickPlatform(
      descriptors(await store.readJson(blobPath(descriptor.digest)), descriptor.digest),
      platform,
    );
  }
  const manifest = (await store.readJson(blobPath(descriptor.digest))) as {
    config?: Descriptor;
    layers?: Descriptor[];
  };
  if (!manifest.config || !Array.isArray(manifest.layers))
    throw new Error(`manifest ${descriptor.digest} has no config or layers`);
  const config = (await store.readJson(blobPath(manifest.config.digest))) as ImageConfig;
  return {
    reference,
    digest: checkDigest(descriptor.digest),
    config,
    layers: manifest.layers.map((layer) => ({
      digest: checkDigest(layer.digest),
      size: layer.size,
      open: async () => verifyingDigest(layer.digest, await store.open(blobPath(layer.digest))),
    })),
  };
}
