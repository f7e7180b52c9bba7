import { createHash } from 'node:crypto';
import type { BlobStore } from './blob-store.js';
import type { ImageConfig, ResolvedImage } from './image-source.js';

interface DockerManifestEntry {
  Config?: string;
  RepoTags?: string[];
  Layers?: string[];
}

/**
 * A `docker save` archive: manifest.json names the config and the layer tars by path. The image's
 * identity is the config's digest, as `docker images --digests` shows for loaded images.
 */
export async function resolveDockerArchive(
  store: BlobStore,
  reference: string,
  tag: string | undefined,
): Promise<ResolvedImage> {
  const manifest = await store.readJson('manifest.json');
  if (!Array.isArray(manifest) || manifest.length === 0) throw new Error('manifest.json lists no image');
  const entries = manifest as DockerManifestEntry[];
  const entry = tag === undefined ? entries[0]! : entries.find((e) => e.RepoTags?.includes(tag));
  if (!entry?.Config || !Array.isArray(entry.Layers))
    throw new Error(
      tag ? `no image tagged ${tag} in the archive` : 'manifest.json entry has no Config or Layers',
    );
  const config = (await store.readJson(entry.Config)) as ImageConfig;
  const digest = `sha256:${createHash('sha256').update(JSON.stringify(config)).digest('hex')}`;
  const fromName = /sha256[:/]([0-9a-f]{64})/.exec(entry.Config)?.[1];
  return {
    reference,
    digest: fromName ? `sha256:${fromName}` : digest,
    config,
    layers: entry.Layers.map((path) => ({
      digest: /([0-9a-f]{64})/.exec(path)?.[1] ? `sha256:${/([0-9a-f]{64})/.exec(path)![1]}` : path,
      size: 0,
      open: () => store.open(path),
    })),
  };
}
