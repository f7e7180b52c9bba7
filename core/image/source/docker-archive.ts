import { createHash } from 'node:crypto';
import { type BlobStore, readSmall } from './blob-store.js';
import { parseImageConfig } from './image-config.js';
import { checkDigest, type ImageSource, MAX_JSON_BYTES, type ResolvedImage } from './image-source.js';
import { verifyingDigest } from './verify-digest.js';

interface ArchiveEntry {
  config: string;
  repoTags: string[];
  layers: string[];
}

const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar';

/** manifest.json entries (docker's image/tarexport format), every field type-checked. */
function entriesOf(value: unknown): ArchiveEntry[] {
  if (!Array.isArray(value)) throw new Error('manifest.json is not a list');
  return value.map((raw, i) => {
    const e = raw as { Config?: unknown; RepoTags?: unknown; Layers?: unknown };
    const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
    if (typeof e?.Config !== 'string' || !strings(e.Layers))
      throw new Error(`manifest.json entry ${i} has no Config path or Layers list`);
    return {
      config: e.Config,
      layers: e.Layers as string[],
      repoTags: strings(e.RepoTags) ? (e.RepoTags as string[]) : [],
    };
  });
}

/**
 * The digest a stored file must hash to. Content-addressed names say it (`blobs/sha256/<hex>` in
 * Docker ≥25's OCI-in-save format, `<hex>.tar` from skopeo, `<hex>.tar.gz` from go-containerregistry);
 * the legacy `<v1-id>/layer.tar` does not, and holds the uncompressed layer whose digest is the
 * config's `rootfs.diff_ids[i]`.
 */
function expectedDigest(path: string, diffId: string | undefined): string {
  const named =
    /(?:^|\/)blobs\/sha256\/([0-9a-f]{64})$/.exec(path) ??
    /(?:^|\/)([0-9a-f]{64})(?:\.tar(?:\.gz)?|\.json)?$/.exec(path);
  if (named) return `sha256:${named[1]}`;
  if (diffId === undefined)
    throw new Error(`cannot verify ${path}: its name is no digest and the config has no diff_id for it`);
  return checkDigest(diffId);
}

/**
 * A `docker save` archive (also `skopeo copy … docker-archive:`): manifest.json names the config and
 * the layer tars by path. The image's identity is the config digest — what `docker images` shows as
 * the ID — since a saved image has no registry manifest.
 */
export class DockerArchiveSource implements ImageSource {
  constructor(
    readonly reference: string,
    private readonly store: BlobStore,
    /** `repo:tag` from RepoTags, or `@N` for the N-th image (skopeo's syntax). */
    private readonly select?: string,
  ) {}

  async resolve(): Promise<ResolvedImage> {
    const bytes = await readSmall(this.store, 'manifest.json', MAX_JSON_BYTES);
    let manifest: unknown;
    try {
      manifest = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new Error(`manifest.json in ${this.store.where} is not valid JSON`);
    }
    const entry = this.pick(entriesOf(manifest));
    const configJson = await readSmall(this.store, entry.config, MAX_JSON_BYTES);
    const digest = `sha256:${createHash('sha256').update(configJson).digest('hex')}`;
    const named = expectedDigest(entry.config, digest);
    if (named !== digest) throw new Error(`config ${entry.config} does not match its digest (got ${digest})`);
    const config = parseImageConfig(configJson, `config ${entry.config}`);
    const diffIds = config.rootfs?.diff_ids ?? [];
    const layers = await Promise.all(
      entry.layers.map(async (path, i) => {
        const expected = expectedDigest(path, diffIds[i]);
        const size = (await this.store.size(path)) ?? 0;
        const file = await this.store.locate(path);
        return {
          mediaType: DOCKER_LAYER,
          digest: expected,
          size,
          open: async () => verifyingDigest(expected, await this.store.open(path), size),
          ...(file ? { file: { ...file, expectedSize: size } } : {}),
        };
      }),
    );
    return { reference: this.reference, digest, config, configJson, layers };
  }

  private pick(entries: ArchiveEntry[]): ArchiveEntry {
    if (entries.length === 0) throw new Error(`${this.store.where}: manifest.json lists no image`);
    if (this.select === undefined) {
      if (entries.length > 1)
        throw new Error(`${this.store.where} holds ${entries.length} images: name one with :REPO:TAG or :@N`);
      return entries[0]!;
    }
    const position = /^@(\d+)$/.exec(this.select);
    const found = position
      ? entries[Number(position[1])]
      : entries.find((e) => e.repoTags.some((t) => t === this.select || t.endsWith(`/${this.select}`)));
    if (!found) {
      const tags = entries.flatMap((e) => e.repoTags).join(', ');
      throw new Error(
        `no image ${JSON.stringify(this.select)} in ${this.store.where} (has ${tags || 'no tags'})`,
      );
    }
    return found;
  }
}
