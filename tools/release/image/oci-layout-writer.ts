import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipTarLayer, type LayerEntry, type WrittenLayer, writeLayer } from './tar-layer.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string };
  annotations?: Record<string, string>;
}

/** An OCI image layout being written (image-spec image-layout.md): content-addressed blobs. */
export class OciLayoutWriter {
  private tempCount = 0;

  constructor(readonly dir: string) {}

  private blobPath(digest: string): string {
    return join(this.dir, 'blobs', ...digest.split(':'));
  }

  async init(): Promise<void> {
    await mkdir(join(this.dir, 'blobs/sha256'), { recursive: true });
    await writeFile(join(this.dir, 'oci-layout'), `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
  }

  /** A JSON document as a blob: serialised once, so its digest is of exactly these bytes. */
  async json(mediaType: string, value: unknown): Promise<Descriptor> {
    const bytes = Buffer.from(JSON.stringify(value));
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await writeFile(this.blobPath(digest), bytes);
    return { mediaType, digest, size: bytes.length };
  }

  async layer(entries: readonly LayerEntry[], epoch: number): Promise<Descriptor & WrittenLayer> {
    return this.blob((temp) => writeLayer(entries, epoch, temp));
  }

  /** A layer from an existing (reproducible) tar file. */
  async tarLayer(tarFile: string): Promise<Descriptor & WrittenLayer> {
    return this.blob((temp) => gzipTarLayer(tarFile, temp));
  }

  private async blob(write: (temp: string) => Promise<WrittenLayer>): Promise<Descriptor & WrittenLayer> {
    const temp = join(this.dir, 'blobs', `.layer-${this.tempCount++}.tmp`);
    const written = await write(temp);
    await rename(temp, this.blobPath(written.digest));
    return { mediaType: OCI_LAYER_GZIP, ...written };
  }

  /** An image manifest over a config and layers (image-spec manifest.md). */
  async image(config: unknown, layers: readonly Descriptor[], annotations: Record<string, string>) {
    const configDescriptor = await this.json(OCI_CONFIG, config);
    return this.json(OCI_MANIFEST, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: configDescriptor,
      layers: layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
      annotations,
    });
  }

  /** The top-level index.json: one entry, the multi-platform index, named by `tag`. */
  async finish(index: Descriptor, tag: string): Promise<void> {
    const top = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [{ ...index, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    };
    await writeFile(join(this.dir, 'index.json'), `${JSON.stringify(top)}\n`);
  }
}
