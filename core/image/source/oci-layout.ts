import { type BlobStore, readSmall } from './blob-store.js';
import { parseImageConfig } from './image-config.js';
import {
  checkDigest,
  type Descriptor,
  type ImageSource,
  MAX_JSON_BYTES,
  type Platform,
  type ResolvedImage,
} from './image-source.js';
import { descendToImage, type ManifestDocument, parseManifest, pickPlatform } from './manifest.js';
import { readVerified, verifyingDigest } from './verify-digest.js';

const REF_NAME = 'org.opencontainers.image.ref.name';
const blobPath = (digest: string) => `blobs/${checkDigest(digest).replace(':', '/')}`;

/**
 * An OCI image layout (image-spec image-layout.md) in a directory or an archive: `oci-layout`,
 * `index.json`, and content-addressed `blobs/<alg>/<hex>`, every blob verified against its digest.
 */
export class OciLayoutSource implements ImageSource {
  constructor(
    readonly reference: string,
    private readonly store: BlobStore,
    private readonly tag?: string,
  ) {}

  async resolve(platform: Platform): Promise<ResolvedImage> {
    const indexJson = await readSmall(this.store, 'index.json', MAX_JSON_BYTES);
    await this.checkLayoutFile();
    const index = parseManifest(indexJson, 'index.json', 'application/vnd.oci.image.index.v1+json');
    if (index.kind !== 'index') throw new Error(`index.json in ${this.store.where} is not an image index`);
    const top = this.pick(index.manifests, platform);
    const manifest = await descendToImage(await this.load(top), top.digest, platform, (d) => this.load(d));
    const configJson = await this.blob(manifest.config, MAX_JSON_BYTES);
    return {
      reference: this.reference,
      digest: manifest.digest,
      config: parseImageConfig(configJson, `config ${manifest.config.digest}`),
      configJson,
      layers: await Promise.all(
        manifest.layers.map(async (layer) => {
          const file = await this.store.locate(blobPath(layer.digest));
          return {
            mediaType: layer.mediaType,
            digest: layer.digest,
            size: layer.size,
            open: async () =>
              verifyingDigest(layer.digest, await this.store.open(blobPath(layer.digest)), layer.size),
            ...(file ? { file: { ...file, expectedSize: layer.size } } : {}),
          };
        }),
      ),
    };
  }

  /** The `oci-layout` file must exist and name a layout version this reader knows (1.x). */
  private async checkLayoutFile(): Promise<void> {
    const bytes = await readSmall(this.store, 'oci-layout', 4096).catch(() => undefined);
    if (!bytes) throw new Error(`${this.store.where} is not an OCI image layout (no oci-layout file)`);
    let version: unknown;
    try {
      version = (JSON.parse(bytes.toString('utf8')) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    } catch {
      throw new Error(`oci-layout in ${this.store.where} is not valid JSON`);
    }
    if (typeof version !== 'string' || !/^1\./.test(version))
      throw new Error(`${this.store.where}: unsupported imageLayoutVersion ${JSON.stringify(version)}`);
  }

  /** The tag's entry (ref.name is the tag, or a full name ending in `:tag`), or the only/platform entry. */
  private pick(entries: Descriptor[], platform: Platform): Descriptor {
    const names = entries.map((d) => d.annotations?.[REF_NAME]).filter((n): n is string => !!n);
    if (this.tag !== undefined) {
      const found = entries.find((d) => {
        const name = d.annotations?.[REF_NAME];
        return name === this.tag || name?.endsWith(`:${this.tag}`);
      });
      if (!found)
        throw new Error(
          `no image tagged ${JSON.stringify(this.tag)} in ${this.store.where} (has ${names.join(', ') || 'no tags'})`,
        );
      return found;
    }
    if (entries.length === 1) return entries[0]!;
    if (entries.length === 0) throw new Error(`index.json in ${this.store.where} lists no image`);
    if (entries.every((d) => d.platform))
      return pickPlatform(entries, platform, `index.json in ${this.store.where}`);
    throw new Error(
      `${this.store.where} holds ${entries.length} images: name one with :TAG (has ${names.join(', ')})`,
    );
  }

  private async load(descriptor: Descriptor): Promise<ManifestDocument> {
    const bytes = await this.blob(descriptor, MAX_JSON_BYTES);
    return parseManifest(bytes, `manifest ${descriptor.digest}`, descriptor.mediaType);
  }

  private async blob(descriptor: Descriptor, max: number): Promise<Buffer> {
    return readVerified(
      descriptor.digest,
      await this.store.open(blobPath(descriptor.digest)),
      max,
      descriptor.size,
    );
  }
}
